import OOMLab

/// The one synchronous loop: wait for a key (forever while paused, so a
/// paused lab costs no CPU; until the next tick or frame while running),
/// apply it, step the kernel at the chosen speed, and draw at most one
/// frame per `Pacer.frameMs`. No threads. The timing decisions are the
/// `Pacer`'s; the terminal is any `TerminalDevice`, so tests run the loop
/// with a scripted one.
struct MainLoop {
    var state: AppState
    let terminal: any TerminalDevice
    let files: ScenarioFiles

    /// Runs until the user quits or a quit signal arrives; returns the signal (0 for q).
    mutating func run() -> Int32 {
        var dirty = true
        var lastFrame = 0
        var pacer = Pacer(now: terminal.nowMs(), tick: state.kernel.tick, speed: state.speed)
        while true {
            if terminal.quitSignal != 0 { return terminal.quitSignal }
            if terminal.takeSuspend() { terminal.suspend(); dirty = true; lastFrame = 0 }
            if terminal.takeResize() { terminal.resized(); dirty = true; lastFrame = 0 }
            if state.quitRequested { return 0 }

            let now = terminal.nowMs()
            if pacer.follow(running: state.running, speed: state.speed, now: now, tick: state.kernel.tick) {
                state.achievedRate = nil
            }
            // A long move goes on in slices, as running at "max" does.
            if state.goal != nil {
                let until = now + Pacer.sliceMs
                repeat {
                    state.continueGoal(64)
                } while state.goal != nil && terminal.nowMs() < until
                dirty = true
            }
            // Step what is due.
            if state.running {
                if let speed = state.speed {
                    let todo = pacer.ticksDue(now: now, speed: speed)
                    if todo > 0 {
                        pacer.didStep(state.advance(todo))
                        dirty = true
                    }
                } else {
                    let until = now + Pacer.sliceMs
                    repeat {
                        state.advance(64)
                    } while state.running && terminal.nowMs() < until
                    dirty = true
                }
                if !state.running { pacer.stopped() }
                if let rate = pacer.rate(now: terminal.nowMs(), tick: state.kernel.tick) {
                    state.achievedRate = rate
                    dirty = true
                }
            }
            // Draw.
            let afterStep = terminal.nowMs()
            if Pacer.shouldDraw(dirty: dirty, running: state.running, now: afterStep, lastFrame: lastFrame) {
                state.logPage = MainView.logRows(height: terminal.height)
                terminal.draw(MainView.render(state, width: terminal.width, height: terminal.height))
                lastFrame = afterStep
                dirty = false
            }
            // Wait.
            let timeout = pacer.waitMs(now: terminal.nowMs(), running: state.running, speed: state.speed,
                                       moving: state.goal != nil, dirty: dirty, lastFrame: lastFrame)
            if terminal.waitForInput(timeoutMs: timeout) || timeout == 0 {
                while let key = terminal.readKey() {
                    if key == .resize { terminal.resized() }
                    state.handle(key, files: files)
                    dirty = true
                    lastFrame = 0
                    if state.quitRequested { return 0 }
                }
            }
        }
    }
}
