import Testing
@testable import OOMLab

/// Every shape of log prefix a pasted kernel line arrives with, and what
/// the reader keeps of it: the kernel's message alone (ReportText.message).
@Suite("Log prefixes of every shape (ReportText.message)")
struct ReportPrefixTests {
    static let message = "Out of memory: Killed process 946 (sshd) total-vm:14536kB, anon-rss:1240kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:60kB oom_score_adj:0"

    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var prefix: String
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(name: "none", prefix: ""),
        Shape(name: "dmesg [ uptime]", prefix: "[ 7063.247407] "),
        Shape(name: "dmesg, a large uptime", prefix: "[39291577.009300] "),
        Shape(name: "dmesg -T, English", prefix: "[Thu Dec  7 00:05:15 2017] "),
        Shape(name: "dmesg -T, French", prefix: "[ven. nov. 28 07:26:44 2025] "),
        Shape(name: "dmesg -T, German", prefix: "[Do Dez  7 00:05:15 2017] "),
        Shape(name: "dmesg -T, Japanese", prefix: "[2019年4月27日 22:56:09] "),
        Shape(name: "dmesg -T, Chinese", prefix: "[四 12月  7 00:05:15 2017] "),
        Shape(name: "dmesg -H, a new minute", prefix: "[Dec10 12:34] "),
        Shape(name: "dmesg -H, relative", prefix: "[  +0.002367] "),
        Shape(name: "dmesg -x", prefix: "kern  :err   : [ 7063.247407] "),
        Shape(name: "printk level", prefix: "<3>[ 7063.247407] "),
        Shape(name: "printk caller id, task", prefix: "[ 7063.247407][ T1234] "),
        Shape(name: "printk caller id, CPU", prefix: "[ 7063.247407][    C1] "),
        Shape(name: "printk caller id alone", prefix: "[T123] "),
        Shape(name: "/dev/kmsg", prefix: "3,19685342,241227987454,-;"),
        Shape(name: "/dev/kmsg with a caller", prefix: "3,1968,2412,-,caller=T12845;"),
        Shape(name: "journalctl short", prefix: "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: "),
        Shape(name: "journalctl short, with uptime", prefix: "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  514.682838] "),
        Shape(name: "journalctl short-iso", prefix: "2024-01-05T02:12:02+0800 iZbp153spuk45ulvkwxf34Z kernel: "),
        Shape(name: "journalctl short-precise", prefix: "Jan 05 02:12:02.123456 host kernel: "),
        Shape(name: "journalctl short-monotonic", prefix: "[ 7063.247407] host kernel: "),
        Shape(name: "journalctl -o cat -k", prefix: "kernel: "),
        Shape(name: "syslog with a hostname", prefix: "Jan  5 02:12:02 doris-03 kernel: "),
        Shape(name: "syslog with a pid", prefix: "Jan  5 02:12:02 doris-03 kernel[0]: "),
        Shape(name: "syslog without a hostname", prefix: "Jan  5 02:12:02 kernel: "),
        Shape(name: "RFC 3339", prefix: "2023-10-12T19:00:20.123456+00:00 host kernel: "),
        Shape(name: "VMware guest log", prefix: "2023-12-04T10:49:30.125Z In(05) vcpu-5 - Guest: <3>[39290745.072552] "),
        Shape(name: "indented", prefix: "    "),
        Shape(name: "tab-indented, dmesg", prefix: "\t[ 7063.247407] "),
    ]

    @Test("the kernel's message, whatever came before it", arguments: shapes)
    func stripped(_ shape: Shape) {
        #expect(ReportText.message(Substring(shape.prefix + Self.message)) == Substring(Self.message))
    }

    @Test("a kill line read through each prefix names the victim", arguments: shapes)
    func killLineThroughPrefix(_ shape: Shape) throws {
        let r = try OOMReportParser().parse(shape.prefix + Self.message + "\n")
        #expect(r.killedLine?.pid == 946)
        #expect(r.killedLine?.comm == "sshd")
    }

    @Test("text that only looks like a prefix is the message")
    func notAPrefix() {
        // No clock before "kernel:", a bracket with words, a "Guest: " without a time.
        for text in ["so the kernel: said no", "[not a stamp] hello", "a Guest: b", "[1.2.3] x"] {
            #expect(ReportText.message(Substring(text)) == Substring(text))
        }
    }

    @Test("a kill line cut before the name keeps the pid and says the name was cut")
    func killLineCutBeforeName() throws {
        let r = try OOMReportParser().parse(ReportFixtures.named("151"))
        #expect(r.killedLine?.pid == 62769)
        #expect(r.killedLine?.nameCut == true)
        let e = ReportExplainer.explain(r)
        #expect(e.text().contains("killed child 62769 (name cut off in the paste)"))
        #expect(e.text().contains("was cut before the task's name"))
        #expect(!e.text().contains("62769 ()"))
    }
}
