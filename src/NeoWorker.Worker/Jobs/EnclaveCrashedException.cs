namespace NeoWorker.Worker.Jobs;

/// <summary>
/// The enclave process died under a job (killed, crashed): an infrastructure fault, not the job's
/// result. The job is handed back and its command retried on a fresh enclave, a bounded number of
/// times (Worker:RetryLimit); a job that keeps taking its enclave down ends Faulted.
/// </summary>
public sealed class EnclaveCrashedException(string message) : Exception(message);
