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
public struct Policy: Equatable, Sendable {
    public var era: Era
    public var oomInvocation: OOMInvocation
    public var oomReaper: Bool
    public var reservations: Bool
    /// Tetsuo Handa's proposal: after this long a TIF_MEMDIE victim no longer
    /// blocks the selection of another one. 0 = off (the kernel never merged it).
    public var victimTimeoutMs: Int
    /// vm.panic_on_oom: 0, 1 (panic unless constrained; the model has no
    /// constraints, so as 2) or 2 (always).
    public var panicOnOOM: Int
    /// vm.oom_kill_allocating_task.
    public var oomKillAllocatingTask: Bool
    /// kernel.hung_task_timeout_secs (0 disables khungtaskd).
    public var hungTaskTimeoutSecs: Int

    /// The switches as each era's kernel ships them.
    public static func defaults(for era: Era) -> Policy {
        Policy(
            era: era,
            oomInvocation: .direct,
            oomReaper: era == .modern,
            reservations: false,
            victimTimeoutMs: 0,
            panicOnOOM: 0,
            oomKillAllocatingTask: false,
            hungTaskTimeoutSecs: 120
        )
    }
}

/// The names of the policy switches, as they appear in scenario files, `--set`
/// and JSON output. The order here is the order they are printed in.
public enum PolicyKey: String, CaseIterable, Sendable {
    case era
    case oomInvocation = "oom_invocation"
    case oomReaper = "oom_reaper"
    case reservations
    case victimTimeoutMs = "victim_timeout_ms"
    case panicOnOOM = "panic_on_oom"
    case oomKillAllocatingTask = "oom_kill_allocating_task"
    case hungTaskTimeoutSecs = "hung_task_timeout_secs"

    /// The values a key accepts, for help and error messages.
    public var allowedValues: String {
        switch self {
        case .era: return "2015 or modern"
        case .oomInvocation: return "direct or kswapd"
        case .oomReaper, .reservations, .oomKillAllocatingTask: return "on or off"
        case .victimTimeoutMs: return "milliseconds, 0 = off"
        case .panicOnOOM: return "0, 1 or 2"
        case .hungTaskTimeoutSecs: return "seconds, 0 = off"
        }
    }
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
        let t = text.trimmedLowercase
        switch key {
        case .era:
            switch t {
            case "2015", "4.0", "v4.0", "3.19": return Era.v2015.rawValue
            case "modern", "6.x", "6", "v6": return Era.modern.rawValue
            default: throw .badValue(key: key, value: text)
            }
        case .oomInvocation:
            guard let v = OOMInvocation(rawValue: t) else { throw .badValue(key: key, value: text) }
            return v.rawValue
        case .oomReaper, .reservations, .oomKillAllocatingTask:
            switch t {
            case "on", "true", "yes", "1": return "on"
            case "off", "false", "no", "0": return "off"
            default: throw .badValue(key: key, value: text)
            }
        case .victimTimeoutMs, .hungTaskTimeoutSecs:
            guard let n = Int(t), n >= 0, n <= 86_400_000 else { throw .badValue(key: key, value: text) }
            return String(n)
        case .panicOnOOM:
            guard let n = Int(t), (0...2).contains(n) else { throw .badValue(key: key, value: text) }
            return String(n)
        }
    }

    /// The effective switches.
    public var resolved: Policy {
        var p = Policy.defaults(for: era)
        for key in PolicyKey.allCases {
            guard let v = explicit[key] else { continue }
            switch key {
            case .era: break
            case .oomInvocation: p.oomInvocation = OOMInvocation(rawValue: v) ?? p.oomInvocation
            case .oomReaper: p.oomReaper = v == "on"
            case .reservations: p.reservations = v == "on"
            case .oomKillAllocatingTask: p.oomKillAllocatingTask = v == "on"
            case .victimTimeoutMs: p.victimTimeoutMs = Int(v) ?? 0
            case .panicOnOOM: p.panicOnOOM = Int(v) ?? 0
            case .hungTaskTimeoutSecs: p.hungTaskTimeoutSecs = Int(v) ?? 120
            }
        }
        return p
    }
}

extension Policy {
    /// The value of one switch as text, in the canonical spelling.
    public func value(of key: PolicyKey) -> String {
        switch key {
        case .era: return era.rawValue
        case .oomInvocation: return oomInvocation.rawValue
        case .oomReaper: return oomReaper ? "on" : "off"
        case .reservations: return reservations ? "on" : "off"
        case .victimTimeoutMs: return String(victimTimeoutMs)
        case .panicOnOOM: return String(panicOnOOM)
        case .oomKillAllocatingTask: return oomKillAllocatingTask ? "on" : "off"
        case .hungTaskTimeoutSecs: return String(hungTaskTimeoutSecs)
        }
    }
}
