/// The OOM report's rate limit. oom_kill_process() prints dump_header() (the
/// invoked line, Mem-Info and the task table) and, from 5.0 (ef8444ea01d7, docs/kernel.md §14 D37), the victim's
/// "oom-kill:" summary only when `__ratelimit(&oom_rs)` allows it:
///
///     static DEFINE_RATELIMIT_STATE(oom_rs, DEFAULT_RATELIMIT_INTERVAL,
///                                   DEFAULT_RATELIMIT_BURST);
///     ...
///     if (__ratelimit(&oom_rs)) {
///             dump_header(oc);
///             dump_oom_victim(oc, victim);
///     }
///
/// (mm/oom_kill.c, oom_kill_process; the 4.0 form is
/// `if (__ratelimit(&oom_rs)) dump_header(oc, p);`). The oom killer has had
/// its own ratelimit state since "mm, oom: introduce independent oom killer
/// ratelimit state" (David Rientjes, linux-mm 2012-02-13, merged for 3.4);
/// before that it used the global printk_ratelimit(). The kill lines
/// ("Kill process ... or sacrifice child", "Killed process ...") are printed
/// by every kill, outside the limit, and so are the reports of
/// check_panic_on_oom() and of "no killable processes", which end in a panic.
/// So a storm of kills logs at most 10 reports per 5 s and then
/// "oom_kill_process: N callbacks suppressed" (lib/ratelimit.c, ___ratelimit),
/// which is what keeps a run with thousands of tasks from printing a
/// thousand-row table at every kill. docs/kernel.md §10.1.
extension Kernel {
    /// Prints the OOM report for a kill if oom_rs allows it now; returns
    /// whether it did (the caller then prints the era's victim summary).
    mutating func dumpHeaderRatelimited(invoker: Int?, gfp: GFPFlags, order: Int) -> Bool {
        let (allowed, suppressed) = printk.oomRatelimit.allow(at: tick)
        if let suppressed { log(suppressed) }
        if allowed { dumpHeader(invoker: invoker, gfp: gfp, order: order) }
        return allowed
    }
}
