import OOMLabKernel

extension Scenario {
    /// The scenario `oomlab` and `oomlab run` use when given none: the 2015
    /// filesystem stall of the "TIF_MEMDIE stall" thread. It is compiled in, so
    /// the binary works anywhere; the text is presets/xfs-kmem-alloc-loop.yaml
    /// byte for byte (a test keeps the two the same).
    public static let defaultYAML = #"""
# xfs-kmem-alloc-loop: the TIF_MEMDIE stall of February 2015.
#
# What it shows: a filesystem transaction holds a lock (XFS's AGF lock) while
# it loops in kmem_alloc() on GFP_NOFS; the largest task, postgres, waits for
# that lock in TASK_UNINTERRUPTIBLE; journald's page fault invokes the OOM
# killer, which picks postgres. postgres can never reach exit_mm(), so it
# keeps TIF_MEMDIE, and while a TIF_MEMDIE task lives select_bad_process()
# aborts: nothing else is ever killed and nothing moves again.
#
# History: "How to handle TIF_MEMDIE stalls?", linux-mm and xfs lists,
# Dec 2014 - Mar 2015 (Tetsuo Handa, Michal Hocko, Johannes Weiner, Dave
# Chinner). This is also the scenario `oomlab` opens with.
#
# Why order 4: kmem_alloc() of 64 KiB is above PAGE_ALLOC_COSTLY_ORDER, so the
# 4.0 page allocator returns NULL instead of looping, and XFS's own loop takes
# over: congestion_wait(HZ/50), retry, and every 100th failure
#   XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)
# (In 3.19.0 even small GFP_NOFS allocations failed this way.)
#
# Watch for: the OOM kill at about 2.2 s, the XFS warning every 2 s, the
# oomlab stall diagnosis with its wait chain at 5 s after the kill, and
# khungtaskd naming postgres (the lock waiter, not the looping allocator).
# Then flip the policies: `--set oom_reaper=on` (v4.6) recovers;
# `--set reservations=on` (Dave Chinner's proposal) never stalls;
# `--set oom_invocation=kswapd` kills a little later and still stalls
# (Michal Hocko's objection: the lock dependency is invisible to the OOM
# killer wherever it runs); `--set era=modern` recovers through the reaper.
name: xfs-kmem-alloc-loop
description: "2015: an XFS transaction loops in kmem_alloc(GFP_NOFS) holding the AGF lock; the OOM victim waits on that lock"
seed: 1
ticks: 30s

machine:
  ram: 256MiB
  swap: 0
  page_cache: {clean: 24MiB, dirty: 0}
  slab: {reclaimable: 8MiB, unreclaimable: 8MiB}
  writeback_rate: 64
  kswapd_rate: 512

policy:
  era: 2015
  # Shortened from 120 s so that khungtaskd speaks within the run.
  hung_task_timeout_secs: 10

locks: [agf]

tasks:
  # A metadata transaction: take the AGF lock, kmem_alloc fifty 64 KiB
  # buffers with GFP_NOFS (the filesystem must not recurse into itself
  # while holding its locks), free them, release the lock.
  - pid: 412
    name: xfs-writer
    uid: 0
    anon: 2MiB
    program:
      - repeat: forever
        body:
          - transaction:
              reserve: 800          # 50 x 16 pages, used only with reservations: on
              body:
                - lock: agf
                - repeat: 50
                  body:
                    - alloc: {size: 64KiB, order: 4, gfp: GFP_NOFS, retry: kmem_alloc, into: kernel, rate: 16}
                - free: {size: all, from: kernel}
                - unlock: agf
          - sleep: 1

  # The database: the largest task, taking the same lock for its fsyncs.
  - pid: 1337
    name: postgres
    uid: 999
    anon: 150MiB
    program:
      - repeat: forever
        body:
          - lock: agf
          - compute: 1
          - unlock: agf
          - sleep: 2

  # A leak: page faults (GFP_HIGHUSER_MOVABLE) until memory runs out.
  - pid: 2001
    name: journald
    uid: 0
    anon: 4MiB
    start: 500ms
    program:
      - repeat: forever
        body:
          - alloc: 4MiB
          - sleep: 5

expect:
  verdict: stall
  killed: [postgres]
  first_kill_by_tick: 3s

expect_with:
  - set: {oom_reaper: on}
    verdict: recovered
  - set: {reservations: on}
    verdict: recovered
  - set: {oom_invocation: kswapd}
    verdict: stall
    killed: [postgres]
  - set: {era: modern}
    verdict: recovered

"""#

    /// The default scenario, parsed from `defaultYAML`.
    public static var defaultScenario: Scenario {
        do {
            return try ScenarioLoader.parse(yaml: defaultYAML, file: "xfs-kmem-alloc-loop.yaml")
        } catch {
            // Compiled-in text that tests load on every run: a failure here is a
            // build mistake, not input the user can fix.
            preconditionFailure("the built-in scenario does not load: \(error)")
        }
    }
}
