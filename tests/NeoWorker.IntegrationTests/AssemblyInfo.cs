// The enclave runner and the local services are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
