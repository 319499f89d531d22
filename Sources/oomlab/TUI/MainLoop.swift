import OOMLab

/// The one synchronous loop: wait for a key (forever while paused, so a
/// paused lab costs no CPU; until the next tick or frame while running),
/// apply it, step the kernel at the chosen speed, and draw at most
/// `maxFPS` frames a second. No threads.
struct MainLoop {
    static let frameMs = 33
    /// At "max" speed the loop steps for this long between looks at the keyboard.
    static let maxSpeedSliceMs = 25

    var state: AppState
    let terminal: Terminal
    let files: ScenarioFiles
    /// Where `C` remembers the theme (`UserConfig`); nil: nowhere to keep it.
    var configPath: String? = nil

    /// Runs until the user quits or a quit signal arrives; returns the signal (0 for q).
    mutating func run() -> Int32 {
        var dirty = true
        var lastFrame = 0
        // Pace: ticks due since `origin` at the current speed.
        var origin = Terminal.nowMs()
        var stepped = 0
        var pacedSpeed = state.speed
        var wasRunning = false
        // The rate reached: ticks over about the last second.
        var rateStart = origin
        var rateTick = state.kernel.tick
        while true {
            if terminal.quitSignal != 0 { return terminal.quitSignal }
            if terminal.takeSuspend() { terminal.suspend(); dirty = true; lastFrame = 0 }
            if terminal.takeResize() { terminal.resized(); dirty = true; lastFrame = 0 }
            if state.quitRequested { return 0 }

            let now = Terminal.nowMs()
            if state.running != wasRunning || state.speed != pacedSpeed {
                origin = now
                stepped = 0
                pacedSpeed = state.speed
                wasRunning = state.running
                rateStart = now
                rateTick = state.kernel.tick
                state.achievedRate = nil
            }
            // A long move goes on in slices, as running at "max" does.
            if state.goal != nil {
                let until = now + MainLoop.maxSpeedSliceMs
                repeat {
                    state.continueGoal(64)
                } while state.goal != nil && Terminal.nowMs() < until
                dirty = true
            }
            // Step what is due.
            if state.running {
                if let speed = state.speed {
                    let due = (now - origin) * speed / 1000
                    if due - stepped > speed {   // more than a second behind: do not try to catch up
                        origin = now - 1000 * stepped / Swift.max(1, speed)
                    }
                    let todo = Swift.min(Swift.max(0, due - stepped), Swift.max(1, speed / 10))
                    if todo > 0 {
                        stepped += state.advance(todo)
                        dirty = true
                    }
                } else {
                    let until = now + MainLoop.maxSpeedSliceMs
                    repeat {
                        state.advance(64)
                    } while state.running && Terminal.nowMs() < until
                    dirty = true
                }
                if !state.running { wasRunning = false }
                let elapsed = Terminal.nowMs() - rateStart
                if elapsed >= 1000 {
                    state.achievedRate = Swift.max(0, state.kernel.tick - rateTick) * 1000 / elapsed
                    rateStart += elapsed
                    rateTick = state.kernel.tick
                    dirty = true
                }
            }
            if state.theme != terminal.theme.name { applyTheme() }
            // Draw.
            let afterStep = Terminal.nowMs()
            if dirty && (afterStep - lastFrame >= MainLoop.frameMs || !state.running) {
                state.logPage = MainView.logRows(height: terminal.height)
                terminal.draw(MainView.render(state, width: terminal.width, height: terminal.height))
                lastFrame = afterStep
                dirty = false
            }
            // Wait.
            var timeout = state.goal != nil ? 0 : -1
            if state.running {
                if let speed = state.speed {
                    let nextTickAt = origin + (stepped + 1) * 1000 / speed
                    timeout = Swift.max(0, nextTickAt - Terminal.nowMs())
                } else {
                    timeout = 0
                }
                if dirty { timeout = Swift.min(timeout, Swift.max(0, lastFrame + MainLoop.frameMs - Terminal.nowMs())) }
            }
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

    /// Draws with the theme `C` chose and remembers it in the config file
    /// (atomically; a failure is said on the status line, the theme stays).
    private mutating func applyTheme() {
        terminal.apply(state.theme)
        guard let configPath else { return }
        var config = (try? UserConfig.load(path: configPath, themes: Theme.Name.allCases.map(\.rawValue))) ?? UserConfig()
        config.theme = state.theme.rawValue
        do {
            try config.save(to: configPath)
        } catch {
            state.message = AppState.Message(text: "theme \(state.theme.rawValue) not remembered: \(error)", isError: true)
        }
    }
}
