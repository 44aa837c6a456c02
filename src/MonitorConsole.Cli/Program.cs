using System.Runtime.InteropServices;
using MonitorConsole.Cli;

// Ctrl-C and SIGTERM cancel the running verb, which then finishes what it must (selftest drops its scratch space) and
// returns its own exit code (130). A second signal ends the process at once. Handled here rather than by
// System.CommandLine's process-exit hook, whose exit code raced the verb's under load (143 instead of 130).
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    if (stop.IsCancellationRequested) return;
    signal.Cancel = true;
    stop.Cancel();
}
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
return await CliApp.RunAsync(args, Console.Out, Console.Error, ct: stop.Token);
