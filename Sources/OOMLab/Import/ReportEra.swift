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

    public init(kernel: KernelVersion, source: String) {
        self.kernel = kernel
        self.rules = .forKernel(major: kernel.major, minor: kernel.minor)
        self.source = source
        self.label = ReportEra.label(for: kernel)
    }

    /// The range of releases whose oom_badness/select_bad_process rules and
    /// report lines agree with `kernel`'s.
    static func label(for k: KernelVersion) -> String {
        switch (k.major, k.minor) {
        case let v where v < (3, 5): return "2.6.36-3.4"
        case let v where v < (3, 14): return "3.5-3.13"
        case let v where v < (4, 17): return "3.14-4.16"
        case let v where v < (5, 1): return "4.17-5.0"
        case let v where v < (5, 3): return "5.1-5.2"
        case let v where v < (5, 9): return "5.3-5.8"
        default: return "5.9+"
        }
    }

    /// Before 5.1 the chosen task's child with its own mm and the highest
    /// badness could be killed instead ("... or sacrifice child").
    public var sacrificesChild: Bool { !kernel.atLeast(5, 1) }

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
            return ReportEra(kernel: k, source: "kernel \(k.release) (CPU line)")
        }
        let killedHasUID = r.killedLine.map { _ in r.summary?.uid != nil } ?? false
        func era(_ major: Int, _ minor: Int, _ why: String) -> ReportEra {
            ReportEra(kernel: KernelVersion(major: major, minor: minor), source: why)
        }
        switch r.table?.format {
        case .rssSplit?:
            return era(6, 5, "no kernel release shown; the rss_anon/rss_file/rss_shmem table is 6.x")
        case .pgtablesBytes? where r.table?.tasksStateLine == true || r.summary != nil:
            if r.selectLine != nil {
                return era(4, 19, "no kernel release shown; \"Tasks state\" with a sacrifice-child line is 4.19-5.0")
            }
            if killedHasUID {
                return era(5, 15, "no kernel release shown; \"Tasks state\" with UID in the kill line is 5.4 or later")
            }
            return era(5, 2, "no kernel release shown; \"Tasks state\" with an \"Out of memory: Killed process\" line is 5.1-5.3")
        case .pgtablesBytes?:
            return era(4, 15, "no kernel release shown; the pgtables_bytes table without \"Tasks state\" is 4.15-4.18")
        case .nrPmds?:
            return era(4, 9, "no kernel release shown; the nr_ptes/nr_pmds table is 4.0-4.14")
        case .nrPtes?:
            return era(3, 16, "no kernel release shown; the nr_ptes/swapents table is 3.x (assumed 3.14-3.19)")
        case .cpuOomAdj?, .oomAdjOnly?:
            return era(2, 6, "no kernel release shown; the cpu/oom_adj table is 2.6.x-3.x (assumed 2.6.36-3.4)")
        case nil:
            if r.selectLine != nil {
                return era(4, 9, "no kernel release and no task table; a sacrifice-child line is before 5.1")
            }
            return era(6, 5, "no kernel release and no task table; modern rules assumed")
        }
    }

    /// The simulator's era for a scenario built from a report of this era:
    /// `2015` (v4.0 rules) before 4.17, `modern` after.
    public var simulatorEra: Era { kernel.atLeast(4, 17) ? .modern : .v2015 }
}
