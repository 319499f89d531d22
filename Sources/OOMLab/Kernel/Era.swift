/// Which kernel's rules the model follows. The February 2015 debate happened on
/// v3.19/v4.0; "modern" is v6.x (read from v6.13). docs/kernel.md names every
/// rule that differs; each differing rule in the code asks `era`.
public enum Era: String, CaseIterable, Equatable, Sendable {
    /// v4.0 rules: zone_reclaimable fake progress, order <= 3 retries forever,
    /// TIF_MEMDIE victims ignore watermarks, 3% root discount, no OOM reaper.
    case v2015 = "2015"
    /// v6.x rules: 16 no-progress rounds, ALLOC_OOM (half of min) for victims,
    /// no root discount, scaled watermarks, the OOM reaper.
    case modern

    /// Pressure stall information (/proc/pressure) exists: it arrived in
    /// 4.20 (eb414681d5a0), so 2015's kernel had none to show.
    public var hasPSI: Bool { self == .modern }

    /// The release whose rules apply, for the banner and report lines.
    public var kernelRelease: String {
        switch self {
        case .v2015: return "4.0.0-oomlab"
        case .modern: return "6.13.0-oomlab"
        }
    }
}

/// Where the OOM killer is invoked from.
public enum OOMInvocation: String, CaseIterable, Equatable, Sendable {
    /// The allocating task calls out_of_memory() from __alloc_pages_may_oom(),
    /// as both eras of the kernel do.
    case direct
    /// Dave Chinner's proposal (and the 2.4-era design): allocating tasks never
    /// invoke the OOM killer; kswapd does, holding no locks, after failing to make
    /// progress for `kswapdOOMRounds` consecutive rounds while free pages are below min.
    case kswapd
}

/// The policy switches a user can flip between ticks. Defaults come from the era
/// (see `Policy.defaults(for:)`); a scenario or `--set` overrides single keys.
/// Each field is described once in `PolicySwitch.all` (its values, default per
/// era, TUI key, how it prints); the values written here are placeholders the
/// table's defaults replace.
public struct Policy: Equatable, Sendable {
    public var era: Era
    public var oomInvocation: OOMInvocation = .direct
    public var oomReaper = false
    public var reservations = false
    /// Tetsuo Handa's proposal: after this long a TIF_MEMDIE victim no longer
    /// blocks the selection of another one. 0 = off (the kernel never merged it).
    public var victimTimeoutMs = 0
    /// vm.panic_on_oom: 0, 1 (panic unless constrained; the model has no
    /// constraints, so as 2) or 2 (always).
    public var panicOnOOM = 0
    /// vm.oom_kill_allocating_task.
    public var oomKillAllocatingTask = false
    /// kernel.hung_task_timeout_secs (0 disables khungtaskd).
    public var hungTaskTimeoutSecs = 0

    /// The switches as each era's kernel ships them (`PolicySwitch.defaultValue`).
    public static func defaults(for era: Era) -> Policy {
        var p = Policy(era: era)
        for s in PolicySwitch.all { s.write(&p, s.defaultValue(era)) }
        return p
    }
}

/// The names of the policy switches, as they appear in scenario files, `--set`
/// and JSON output. The order here is the order they are printed in; each has
/// its descriptor in `PolicySwitch.all`.
public enum PolicyKey: String, CaseIterable, Sendable {
    case era
    case oomInvocation = "oom_invocation"
    case oomReaper = "oom_reaper"
    case reservations
    case victimTimeoutMs = "victim_timeout_ms"
    case panicOnOOM = "panic_on_oom"
    case oomKillAllocatingTask = "oom_kill_allocating_task"
    case hungTaskTimeoutSecs = "hung_task_timeout_secs"

    /// The key's descriptor.
    public var descriptor: PolicySwitch { PolicySwitch.of(self) }

    /// The values a key accepts, for help and error messages.
    public var allowedValues: String { descriptor.allowedValues }
}

/// A policy as a scenario states it: an era plus the switches set explicitly.
/// Resolving it starts from the era's defaults, so changing the era (with
/// `--set era=modern`) changes every switch the scenario left unset.
public struct PolicySpec: Equatable, Sendable {
    public var era: Era
    /// Explicit values by key, as canonical strings ("on", "kswapd", "5000").
    public var explicit: [PolicyKey: String]

    public init(era: Era = .v2015, explicit: [PolicyKey: String] = [:]) {
        self.era = era
        self.explicit = explicit
    }

    public enum ValueError: Error, Equatable, Sendable {
        case badValue(key: PolicyKey, value: String)
    }

    /// Sets one key from text, validating it. `era` replaces the era.
    public mutating func set(_ key: PolicyKey, _ text: String) throws(ValueError) {
        let canonical = try PolicySpec.canonical(key, text)
        if key == .era {
            era = Era(rawValue: canonical) ?? era
        } else {
            explicit[key] = canonical
        }
    }

    /// The value text in the one spelling used for output ("on", "off", "2015").
    public static func canonical(_ key: PolicyKey, _ text: String) throws(ValueError) -> String {
        guard let canonical = key.descriptor.canonical(text) else { throw .badValue(key: key, value: text) }
        return canonical
    }

    /// The effective switches.
    public var resolved: Policy {
        var p = Policy.defaults(for: era)
        for s in PolicySwitch.all where s.key != .era {
            if let v = explicit[s.key] { s.write(&p, v) }
        }
        return p
    }
}

extension Policy {
    /// The value of one switch as text, in the canonical spelling.
    public func value(of key: PolicyKey) -> String { key.descriptor.read(self) }
}
