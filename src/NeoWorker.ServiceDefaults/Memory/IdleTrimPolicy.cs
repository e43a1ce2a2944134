namespace NeoWorker.ServiceDefaults.Memory;

/// <summary>
/// When an idle worker should give memory back: no job running and almost nothing allocated for
/// <paramref name="quietTicks"/> ticks in a row, after at least <paramref name="minAllocatedBytes"/> were
/// allocated since the last trim. One trim per idle stretch; a busy worker is never trimmed.
/// </summary>
public sealed class IdleTrimPolicy(int quietTicks, long minAllocatedBytes, long quietBytesPerTick)
{
    private long _lastTotal = -1;
    private long _atLastTrim;
    private int _quiet;

    /// <summary>Called once per tick with the process's total allocated bytes so far; true: trim now.</summary>
    public bool Tick(long totalAllocatedBytes, bool jobsRunning)
    {
        var allocatedThisTick = _lastTotal < 0 ? 0 : totalAllocatedBytes - _lastTotal;
        if (_lastTotal < 0)
        {
            _atLastTrim = totalAllocatedBytes;
        }

        _lastTotal = totalAllocatedBytes;
        _quiet = jobsRunning || allocatedThisTick > quietBytesPerTick ? 0 : _quiet + 1;
        if (_quiet < quietTicks || totalAllocatedBytes - _atLastTrim < minAllocatedBytes)
        {
            return false;
        }

        _atLastTrim = totalAllocatedBytes;
        return true;
    }
}
