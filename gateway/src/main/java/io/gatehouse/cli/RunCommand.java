package io.gatehouse.cli;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigProblem;
import io.gatehouse.config.GatehouseConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code run --config FILE}: serves until SIGTERM or SIGINT, then drains in-flight requests and exits 0.
 * SIGHUP (or a change to the file) reloads the config.
 */
@Command(name = "run", description = "Run the gateway until SIGTERM/SIGINT.")
public final class RunCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());

  @Option(names = "--config", required = true, description = "YAML config file")
  Path config;

  @Override public Integer call() throws Exception {
    var loaded = ConfigLoader.load(config, System::getenv);
    for (ConfigProblem problem : loaded.problems()) System.err.println(problem.format());
    if (loaded.config().isEmpty()) return 2;
    GatehouseConfig initial = loaded.config().get();

    Vertx vertx = RunningGateway.newVertx();
    RunningGateway gateway;
    try {
      gateway = RunningGateway.start(vertx, initial).await();
    } catch (Exception e) {
      System.err.println("gatehouse: cannot start: " + e.getMessage());
      vertx.close();
      return 1;
    }
    LOG.log(System.Logger.Level.INFO, "gatehouse serving on port {0}, admin on port {1}",
        Integer.toString(gateway.port()), Integer.toString(gateway.adminPort()));

    ConfigReloader reloader = new ConfigReloader(vertx, config, gateway);
    reloader.start();

    CountDownLatch stopped = new CountDownLatch(1);
    Signal.handle(new Signal("HUP"), s -> reloader.reloadNow());
    sun.misc.SignalHandler stop = s -> {
      LOG.log(System.Logger.Level.INFO, "SIG{0}: draining", s.getName());
      reloader.close();
      gateway.stop(gateway.state().config().server().timeouts().drain())
          .eventually(vertx::close)
          .onComplete(v -> stopped.countDown());
    };
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
    stopped.await();
    LOG.log(System.Logger.Level.INFO, "stopped");
    return 0;
  }
}
