// The scripts under test (bash, the stand-in occlum) and the containers are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
