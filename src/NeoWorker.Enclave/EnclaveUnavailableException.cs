namespace NeoWorker.Enclave;

/// <summary>An enclave could not be started or reached: an infrastructure fault, worth a retry.</summary>
public sealed class EnclaveUnavailableException : Exception
{
    public EnclaveUnavailableException(string message)
        : base(message)
    {
    }

    public EnclaveUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
