namespace NeoWorker.Contracts;

/// <summary>
/// What a sealed envelope is bound to besides the user. A job's own secrets are bound to its
/// functionId; a user's named secret to <see cref="NamedSecret"/>, which no functionId can equal
/// ('#' and '/' are not allowed in function ids), so one can never be passed off as the other.
/// </summary>
public static class SecretBindings
{
    public static string NamedSecret(string name) => "#named-secret/" + name;
}
