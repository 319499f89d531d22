import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// One bad file and the exact error it must give.
struct BadFile: Sendable, CustomTestStringConvertible {
    var what: String
    var yaml: String
    var error: String
    var testDescription: String { what }
}

@Suite("ScenarioLoader: located errors, worded exactly")
struct ScenarioErrorTests {
    static let prefix = "machine: {ram: 64MiB}\n"
    static let task = prefix + "locks: [agf]\ntasks:\n  - pid: 1\n    name: t\n    program:\n"

    static let cases: [BadFile] = [
        BadFile(what: "misspelt key", yaml: "machine: {ramm: 64MiB}\n",
                error: "t.yaml:1:11: error: unknown key 'ramm' in machine; did you mean 'ram'?"),
        BadFile(what: "unknown key without a close match", yaml: "machine:\n  ram: 64MiB\n  disk: 1\n",
                error: "t.yaml:3:3: error: unknown key 'disk' in machine; expected ram, swap, kernel, min_free_kbytes,"
                    + " watermark_scale_factor, writeback_rate, kswapd_rate, swappiness, page_cache or slab"),
        BadFile(what: "misspelt top-level key", yaml: prefix + "taks: []\n",
                error: "t.yaml:2:1: error: unknown key 'taks' in the scenario; did you mean 'tasks'?"),
        BadFile(what: "misspelt task key", yaml: prefix + "tasks:\n  - {pid: 1, name: a, oom_scor_adj: 5}\n",
                error: "t.yaml:3:23: error: unknown key 'oom_scor_adj' in task; did you mean 'oom_score_adj'?"),
        BadFile(what: "misspelt operation argument", yaml: task + "      - alloc: {size: 1, gpf: GFP_NOFS}\n",
                error: "t.yaml:7:26: error: unknown key 'gpf' in alloc; did you mean 'gfp'?"),
        BadFile(what: "misspelt policy key", yaml: prefix + "policy: {oom_reaperr: on}\n",
                error: "t.yaml:2:10: error: unknown key 'oom_reaperr' in policy; did you mean 'oom_reaper'?"),
        BadFile(what: "bad gfp name in a mask, at its own column", yaml: task + "      - alloc: {size: 1, gfp: GFP_NOFS|__GFP_NOFAL}\n",
                error: "t.yaml:7:40: error: unknown gfp flag '__GFP_NOFAL'; did you mean '__GFP_NOFAIL'?"),
        BadFile(what: "bad gfp name in a list", yaml: task + "      - alloc: {size: 1, gfp: [GFP_NOFSS]}\n",
                error: "t.yaml:7:32: error: unknown gfp flag 'GFP_NOFSS'; did you mean 'GFP_NOFS'?"),
        BadFile(what: "bad gfp name in quotes", yaml: task + "      - alloc: {size: 1, gfp: \"GFP_NOFS | GFP_KERNL\"}\n",
                error: "t.yaml:7:43: error: unknown gfp flag 'GFP_KERNL'; did you mean 'GFP_KERNEL'?"),
        BadFile(what: "undeclared lock", yaml: task + "      - lock: agff\n",
                error: "t.yaml:7:15: error: undeclared lock 'agff'; did you mean 'agf'?"),
        BadFile(what: "undeclared lock in the long form", yaml: task + "      - {lock: ilock, wait: killable}\n",
                error: "t.yaml:7:16: error: undeclared lock 'ilock'"),
        BadFile(what: "undeclared mmap_lock", yaml: prefix + "locks: [agf]\ntasks:\n  - {pid: 1, name: t, mmap_lock: ag}\n",
                error: "t.yaml:4:34: error: undeclared lock 'ag'; did you mean 'agf'?"),
        BadFile(what: "lock without any declared", yaml: prefix + "tasks:\n  - {pid: 1, name: t, program: [unlock: agf]}\n",
                error: "t.yaml:3:41: error: undeclared lock 'agf' (the scenario declares no locks; list them under 'locks')"),
        BadFile(what: "duplicate pid", yaml: prefix + "tasks:\n  - {pid: 1, name: a}\n  - {pid: 1, name: b}\n",
                error: "t.yaml:4:11: error: duplicate pid 1: already used by 'a' at line 3"),
        BadFile(what: "duplicate pid through count", yaml: prefix + "tasks:\n  - {pid: 5, name: a}\n  - {pid: 3, name: b, count: 3}\n",
                error: "t.yaml:4:5: error: duplicate pid 5: already used by 'a' at line 3"),
        BadFile(what: "duplicate lock", yaml: prefix + "locks: [a, b, a]\n",
                error: "t.yaml:2:15: error: duplicate lock 'a'"),
        BadFile(what: "duplicate key", yaml: prefix + "seed: 1\nseed: 2\n",
                error: "t.yaml:3:1: error: duplicate key 'seed'"),
        BadFile(what: "oom_score_adj out of range", yaml: prefix + "tasks:\n  - {pid: 1, name: a, oom_score_adj: 2000}\n",
                error: "t.yaml:3:38: error: oom_score_adj must be between -1000 and 1000, found 2000"),
        BadFile(what: "order out of range", yaml: task + "      - alloc: {size: 1, order: 11}\n",
                error: "t.yaml:7:33: error: order must be between 0 and 10, found 11"),
        BadFile(what: "pid 0", yaml: prefix + "tasks:\n  - {pid: 0, name: a}\n",
                error: "t.yaml:3:11: error: pid must be between 1 and 4194304, found 0"),
        BadFile(what: "panic_on_oom 3", yaml: prefix + "policy: {panic_on_oom: 3}\n",
                error: "t.yaml:2:24: error: bad value '3' for 'panic_on_oom': expected 0, 1 or 2"),
        BadFile(what: "kernel as large as ram", yaml: "machine: {ram: 64MiB, kernel: 64MiB}\n",
                error: "t.yaml:1:31: error: kernel must be smaller than ram (64MiB), found 64MiB"),
        BadFile(what: "repeat count 0", yaml: task + "      - repeat: 0\n        body: [exit]\n",
                error: "t.yaml:7:17: error: repeat must be between 1 and 1000000000, found 0"),
        BadFile(what: "huge size overflows", yaml: "machine: {ram: 99999999999TiB}\n",
                error: "t.yaml:1:16: error: ram must be between 4KiB and 1PiB, found 99999999999TiB"),
        BadFile(what: "huge integer overflows", yaml: task + "      - repeat: {count: 99999999999999999999999, body: [exit]}\n",
                error: "t.yaml:7:25: error: count must be between 1 and 1000000000, found 99999999999999999999999"),
        BadFile(what: "bad size", yaml: "machine: {ram: lots}\n",
                error: "t.yaml:1:16: error: bad size 'lots' for 'ram': expected pages, or a number with KiB, MiB, GiB, TiB or PiB"),
        BadFile(what: "bad size unit", yaml: "machine: {ram: 64 MiBs}\n",
                error: "t.yaml:1:16: error: bad size '64 MiBs' for 'ram': expected pages, or a number with KiB, MiB, GiB, TiB or PiB"),
        BadFile(what: "bad duration", yaml: prefix + "ticks: 5 parsecs\n",
                error: "t.yaml:2:8: error: bad duration '5 parsecs' for 'ticks': expected ticks, or a number with ms, s, min or h"),
        BadFile(what: "fraction of a tick count", yaml: task + "      - sleep: 1.5\n",
                error: "t.yaml:7:16: error: bad duration '1.5' for 'sleep': expected ticks, or a number with ms, s, min or h"),
        BadFile(what: "bad enum value with suggestion", yaml: prefix + "policy: {oom_invocation: kswap}\n",
                error: "t.yaml:2:26: error: bad value 'kswap' for 'oom_invocation': expected direct or kswapd; did you mean 'kswapd'?"),
        BadFile(what: "bad era", yaml: prefix + "policy: {era: modren}\n",
                error: "t.yaml:2:15: error: bad value 'modren' for 'era': expected 2015 or modern; did you mean 'modern'?"),
        BadFile(what: "bad retry", yaml: task + "      - alloc: {size: 1, retry: kmemalloc}\n",
                error: "t.yaml:7:33: error: bad value 'kmemalloc' for 'retry': expected allocator, once or kmem_alloc;"
                    + " did you mean 'kmem_alloc'?"),
        BadFile(what: "bad into", yaml: task + "      - alloc: {size: 1, into: file_dirty}\n",
                error: "t.yaml:7:32: error: bad value 'file_dirty' for 'into': expected anon or kernel"
                    + " (page cache and slab have write, read and slab)"),
        BadFile(what: "bad wait", yaml: task + "      - {lock: agf, wait: killabel}\n",
                error: "t.yaml:7:27: error: bad value 'killabel' for 'wait': expected uninterruptible or killable;"
                    + " did you mean 'killable'?"),
        BadFile(what: "bad lock mode", yaml: task + "      - {lock: agf, mode: shared}\n",
                error: "t.yaml:7:27: error: bad value 'shared' for 'mode': expected write or read"),
        BadFile(what: "bad verdict", yaml: prefix + "expect: {verdict: stal}\n",
                error: "t.yaml:2:19: error: bad value 'stal' for 'verdict': expected ok, pending, recovered, stall, livelock,"
                    + " deadlock or panic; did you mean 'stall'?"),
        BadFile(what: "bad policy value in expect_with", yaml: prefix + "expect_with:\n  - {set: {oom_reaper: onn}, verdict: ok}\n",
                error: "t.yaml:3:24: error: bad value 'onn' for 'oom_reaper': expected on or off; did you mean 'on'?"),
        BadFile(what: "unknown victim", yaml: prefix + "tasks: [{pid: 1, name: db}]\nexpect: {killed: [dbb]}\n",
                error: "t.yaml:3:19: error: no task named 'dbb'; did you mean 'db'?"),
        BadFile(what: "unknown victim pid", yaml: prefix + "tasks: [{pid: 1, name: db}]\nexpect: {killed: [2]}\n",
                error: "t.yaml:3:19: error: no task has pid 2"),
        BadFile(what: "misspelt operation", yaml: task + "      - aloc: 1\n",
                error: "t.yaml:7:9: error: unknown operation 'aloc'; did you mean 'alloc'?"),
        BadFile(what: "misspelt bare operation", yaml: task + "      - exitt\n",
                error: "t.yaml:7:9: error: unknown operation 'exitt'; did you mean 'exit'?"),
        BadFile(what: "operation without its value", yaml: task + "      - sleep\n",
                error: "t.yaml:7:9: error: operation 'sleep' needs a value, as in 'sleep: ...'"),
        BadFile(what: "two keywords", yaml: task + "      - {lock: agf, alloc: 1}\n",
                error: "t.yaml:7:21: error: an operation has one keyword; found 'lock' and 'alloc'"),
        BadFile(what: "argument to exit", yaml: task + "      - {exit: , code: 1}\n",
                error: "t.yaml:7:18: error: unknown key 'code': exit takes no arguments"),
        BadFile(what: "empty repeat body", yaml: task + "      - repeat: forever\n        body: []\n",
                error: "t.yaml:8:15: error: the body of a repeat must not be empty"),
        BadFile(what: "missing key", yaml: prefix + "tasks:\n  - {name: b}\n",
                error: "t.yaml:3:5: error: missing key 'pid' in task"),
        BadFile(what: "missing machine", yaml: "seed: 3\n",
                error: "t.yaml:1:1: error: missing key 'machine' in the scenario"),
        BadFile(what: "wrong node kind", yaml: prefix + "tasks: {pid: 1}\n",
                error: "t.yaml:2:8: error: expected a sequence for 'tasks', found a mapping"),
        BadFile(what: "bad boolean", yaml: prefix + "tasks:\n  - {pid: 1, name: a, kthread: maybe}\n",
                error: "t.yaml:3:32: error: expected true or false for 'kthread', found 'maybe'"),
        BadFile(what: "bad min_free_kbytes", yaml: "machine: {ram: 64MiB, min_free_kbytes: lots}\n",
                error: "t.yaml:1:40: error: bad value 'lots' for 'min_free_kbytes': expected kB or auto"),
        BadFile(what: "not a mapping", yaml: "- a\n- b\n",
                error: "t.yaml:1:1: error: expected a mapping of scenario keys, found a sequence"),
        BadFile(what: "empty file", yaml: "",
                error: "t.yaml:1:1: error: the file is empty; expected a mapping of scenario keys"),
        BadFile(what: "YAML syntax error", yaml: "machine: {ram: 64MiB}\n  bad: indent\n",
                error: "t.yaml:2:3: error: invalid YAML: did not find expected key (while parsing a block mapping at 1:1)"),
        BadFile(what: "unclosed flow mapping", yaml: "machine: {ram: 64MiB\n",
                error: "t.yaml:2:1: error: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at 1:10)"),
        BadFile(what: "tab indentation", yaml: "machine:\n\tram: 1\n",
                error: "t.yaml:2:1: error: invalid YAML: found character that cannot start any token"
                    + " (while scanning for the next token at 2:1)"),
        BadFile(what: "control character", yaml: "machine: {ram: \u{1}}\n",
                error: "t.yaml:1:16: error: invalid YAML: control characters are not allowed"),
        BadFile(what: "undefined alias", yaml: "machine: *m\n",
                error: "t.yaml:1:10: error: undefined alias 'm'"),
        BadFile(what: "complex key", yaml: "? [a]\n: 1\n",
                error: "t.yaml:1:3: error: a mapping key must be a plain name, not a sequence"),
        BadFile(what: "two documents", yaml: prefix + "---\n" + prefix,
                error: "t.yaml:2:1: error: a scenario file holds one YAML document; found a second"),
    ]

    @Test("each bad file gives its exact error", arguments: cases)
    func badFile(_ c: BadFile) {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(yaml: c.yaml, file: "t.yaml") }
        do {
            _ = try ScenarioLoader.parse(yaml: c.yaml, file: "t.yaml")
        } catch {
            #expect(error.description == c.error)
        }
    }

    @Test("the description is FILE:LINE:COLUMN: error: MESSAGE, with an optional suggestion")
    func format() {
        let at = SourceLocation(file: "a.yaml", line: 3, column: 7)
        #expect(ScenarioError("bad", at: at).description == "a.yaml:3:7: error: bad")
        #expect(ScenarioError("bad", at: at, suggestion: "good").description == "a.yaml:3:7: error: bad; did you mean 'good'?")
        #expect(ScenarioError("cannot read 'x'").description == "error: cannot read 'x'")
    }
}
