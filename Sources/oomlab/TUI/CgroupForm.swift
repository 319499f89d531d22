import OOMLab
import OOMLabKernel

/// The cgroup form (`G`): mkdir a memory cgroup, or write one of its limit
/// files. Either becomes a `UserAction`, recorded on the timeline and
/// logged as the policy switches are. Writing a limit sets it; the kernel's
/// next charge sees it (cgroup_mkdir, memory_max_write ..., docs/memcg.md §1).
enum CgroupForm {
    static let mkdir = "mkdir (create the cgroup)"

    static func make(kernel: Kernel) -> Form {
        let tree = kernel.memcg.tree
        let first = tree.count > 1 ? tree[1].path.description : "/new"
        let files = CgroupLimitFile.allCases.map(\.rawValue)
        return Form(purpose: .cgroup, title: "Memory cgroup (\(kernel.memcg.version.rawValue))", fields: [
            .init(label: "cgroup", kind: .text(maxLength: 200), value: first, hint: "a path such as /pod-a; parents first"),
            .init(label: "write", kind: .choice(files + [mkdir]), value: files[0], hint: "Left/Right to choose"),
            .init(label: "value", kind: .text(maxLength: 32), value: "max", hint: "max, 0 or a size: 512MiB, 1GiB"),
        ])
    }

    static func validate(_ form: Form) throws(FormError) -> UserAction {
        let path = try FormCheck.cgroupPath(form.value("cgroup"), field: "cgroup")
        let write = form.value("write")
        if write == mkdir { return .createCgroup(path) }
        guard let file = CgroupLimitFile(rawValue: write) else {
            throw FormError(field: "write", message: "choose a file with Left/Right")
        }
        do {
            return .setCgroupLimit(path, file, pages: try CgroupOverride.limit(form.value("value").trimmingSpaces, file: write))
        } catch {
            throw FormError(field: "value", message: "\(write) takes max, 0 or a size such as 512MiB")
        }
    }

    /// The status line after the action.
    static func done(_ action: UserAction) -> String {
        switch action {
        case .createCgroup(let path): return "created cgroup \(path)"
        case .setCgroupLimit(let path, let file, let pages):
            return "\(path) \(file.rawValue) = " + (pages == PageCounter.max ? "max" : Format.size(pages: pages))
        default: return ""
        }
    }
}
