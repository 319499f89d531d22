/// What the main loop needs from a terminal: signals, size, drawing a
/// frame, keys and a clock. `Terminal` is the real one (curses); tests
/// drive the loop with a scripted one.
protocol TerminalDevice: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// The quit signal that arrived (SIGINT, SIGTERM, SIGHUP), 0 if none.
    var quitSignal: Int32 { get }
    /// Ctrl-Z arrived since the last call.
    func takeSuspend() -> Bool
    /// Restores the terminal, stops, and on resume repaints.
    func suspend()
    /// SIGWINCH arrived since the last call.
    func takeResize() -> Bool
    /// Reads the new size; the next frame repaints everything.
    func resized()
    func draw(_ screen: Screen)
    /// Waits up to `timeoutMs` (negative: forever) for a key; true when one can be read.
    func waitForInput(timeoutMs: Int) -> Bool
    /// One key without waiting; nil when there is none.
    func readKey() -> Key?
    /// Milliseconds on a monotonic clock.
    func nowMs() -> Int
}
