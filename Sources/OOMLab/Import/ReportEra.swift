import OOMLabKernel

/// Which kernel's victim-selection rules a report is read with: a
/// representative release, the oom_badness rules it implies, and how the era
/// was decided (the report's CPU line, its formats, or the user's --era).
/// docs/kernel.md §10.3.
public struct ReportEra: Equatable, Sendable {
    /// A release inside the era, e.g. 4.0 for "3.14-4.16".
    public var kernel: KernelVersion
    public var rules: BadnessRules
    /// How the era was chosen, for the explanation ("CPU line: 4.0.5-x86_64-linode58").
    public var source: String
    /// The releases sharing these rules, e.g. "3.14-4.16".
    public var label: String
    /// The format clues that decided the era when no release was printed
    /// (ReportEraClues.swift), by name; empty when the CPU line or --era did.
    public var clues: [String] = []

    public init(kernel: KernelVersion, source: String) {
        self.kernel = kernel
        self.rules = .forKernel(major: kernel.major, minor: kernel.minor)
        self.source = source
        self.label = ReportEra.label(for: kernel)
    }

    /// The range of releases whose oom_badness/select_bad_process rules
    /// agree with `kernel`'s: a span of `BadnessRules.changes`.
    static func label(for k: KernelVersion) -> String {
        BadnessRules.span(major: k.major, minor: k.minor)
    }

    /// Before 5.1 the chosen task's child with its own mm and the highest
    /// badness could be killed instead ("... or sacrifice child").
    public var sacrificesChild: Bool { rules.sacrificesChild }

    /// The era as given on the command line: a release ("4.0", "5.8.0",
    /// "2.6.32") or the simulator's names "2015" (4.0) and "modern" (6.13).
    public static func named(_ text: String) -> ReportEra? {
        let t = text.lowercased()
        switch t {
        case "2015": return ReportEra(kernel: KernelVersion(major: 4, minor: 0), source: "--era 2015")
        case "modern": return ReportEra(kernel: KernelVersion(major: 6, minor: 13), source: "--era modern")
        default:
            let stripped = t.hasPrefix("v") ? String(t.dropFirst()) : t
            guard let k = KernelVersion(release: stripped), (2...9).contains(k.major) else { return nil }
            if k.major == 2 && (k.minor < 6 || (k.minor == 6 && k.patch < 32 && k.patch != 0)) { return nil }
            return ReportEra(kernel: k, source: "--era \(text)")
        }
    }

    /// The era of a report: its kernel release if printed, else what its
    /// table layout and kill lines imply (the latest rules they allow are
    /// not assumed; the most common kernel of that layout is).
    public static func infer(from r: OOMReport) -> ReportEra {
        if let k = r.kernelVersion {
            // RHEL 6 (2.6.32) backports the 2.6.36 rss-based badness.
            if let n = r.kernelVersionFromReport {
                return ReportEra(kernel: k, source: "kernel \(k.release) (CPU line of report \(n) in the same paste)")
            }
            return ReportEra(kernel: k, source: "kernel \(k.release) (CPU line)")
        }
        let preferred: (Int, Int)
        switch r.table?.format {
        case .rssSplit?: preferred = (6, 5)
        // Without "Tasks state" the paste may have lost the line, or the
        // kernel is 4.15-4.18: the older rules are assumed, as before.
        case .pgtablesBytes?: preferred = r.table?.tasksStateLine == true ? (5, 15) : (4, 15)
        case .nrPmds?: preferred = (4, 9)
        case .nrPtes?: preferred = (3, 16)
        case .cpuOomAdj?, .oomAdjOnly?: preferred = (2, 6)
        case nil: preferred = r.selectLine != nil ? (4, 9) : (6, 5)
        }
        return fromClues(ReportEraClue.clues(in: r), preferred: preferred)
    }

    /// The simulator's era for a scenario built from a report of this era:
    /// `2015` (v4.0 rules) before 4.17, `modern` after.
    public var simulatorEra: Era { kernel.atLeast(4, 17) ? .modern : .v2015 }
}
