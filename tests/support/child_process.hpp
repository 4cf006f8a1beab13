#pragma once
// Runs the real mercato binary as a child process for tests of exit codes, signals and
// start-up. The child is killed and reaped when the object goes away.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mercato::testing {

class ChildProcess {
 public:
  // `env` is added to (and overrides) the test's own environment.
  ChildProcess(std::vector<std::string> args, std::map<std::string, std::string> env, std::string stdin_text = {});
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Reads stdout until a line containing `needle` arrives; returns it, or nullopt on EOF/timeout.
  std::optional<std::string> wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
  void send_signal(int signal);
  // Waits for exit; returns the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // Everything read from stdout / stderr so far (after wait(), everything).
  const std::string& out() const noexcept { return out_; }
  const std::string& err() const noexcept { return err_; }

 private:
  bool pump(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  std::size_t scanned_ = 0;
  std::optional<int> status_;
};

// Runs to completion and returns {exit code, stdout, stderr}.
struct Completed {
  int code;
  std::string out;
  std::string err;
};
Completed run_binary(std::vector<std::string> args, std::map<std::string, std::string> env,
                     std::string stdin_text = {}, std::chrono::milliseconds timeout = std::chrono::seconds{30});

}  // namespace mercato::testing
