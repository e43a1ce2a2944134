using NeoWorker.ServiceDefaults.Memory;

namespace NeoWorker.IntegrationTests.Memory;

/// <summary>When the worker gives memory back: only once idle, only after real allocation, once per idle stretch.</summary>
public sealed class IdleTrimPolicyTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public void Trims_once_after_enough_quiet_ticks_following_work()
    {
        var policy = new IdleTrimPolicy(quietTicks: 3, minAllocatedBytes: 64 * MB, quietBytesPerTick: 2 * MB);
        Assert.False(policy.Tick(0, jobsRunning: false));
        Assert.False(policy.Tick(100 * MB, jobsRunning: true)); // working
        Assert.False(policy.Tick(101 * MB, jobsRunning: false)); // quiet 1
        Assert.False(policy.Tick(101 * MB, jobsRunning: false)); // quiet 2
        Assert.True(policy.Tick(101 * MB, jobsRunning: false)); // quiet 3: trim
        Assert.False(policy.Tick(101 * MB, jobsRunning: false)); // still idle: no second trim
        Assert.False(policy.Tick(102 * MB, jobsRunning: false));
    }

    [Fact]
    public void Never_trims_while_jobs_run_or_the_worker_allocates()
    {
        var policy = new IdleTrimPolicy(quietTicks: 2, minAllocatedBytes: 64 * MB, quietBytesPerTick: 2 * MB);
        policy.Tick(0, jobsRunning: false);
        var total = 0L;
        for (var i = 0; i < 20; i++)
        {
            total += 10 * MB; // busy: 10 MB a tick, no job registered at the moment of the tick
            Assert.False(policy.Tick(total, jobsRunning: false));
            Assert.False(policy.Tick(total, jobsRunning: true)); // a job is running
        }
    }

    [Fact]
    public void Does_not_trim_an_idle_worker_that_allocated_little()
    {
        var policy = new IdleTrimPolicy(quietTicks: 2, minAllocatedBytes: 64 * MB, quietBytesPerTick: 2 * MB);
        var total = 0L;
        for (var i = 0; i < 30; i++)
        {
            total += MB; // background chatter: leases, health checks
            Assert.False(policy.Tick(total, jobsRunning: false));
        }

        Assert.False(policy.Tick(total + MB, jobsRunning: false)); // 31 MB in all: below the 64 MB floor
    }

    [Fact]
    public void Trims_again_after_the_next_stretch_of_work()
    {
        var policy = new IdleTrimPolicy(quietTicks: 1, minAllocatedBytes: 64 * MB, quietBytesPerTick: 2 * MB);
        policy.Tick(0, jobsRunning: false);
        policy.Tick(100 * MB, jobsRunning: true);
        Assert.True(policy.Tick(100 * MB, jobsRunning: false));
        policy.Tick(200 * MB, jobsRunning: true);
        Assert.True(policy.Tick(200 * MB, jobsRunning: false));
    }
}
