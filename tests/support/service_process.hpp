#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace crossvoice::testing {

// The path of the crossvoice binary under test (CROSSVOICE_BINARY, set by CMake for the tests).
std::string crossvoice_binary();

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the binary to completion with `args` and extra environment variables.
CommandResult run_crossvoice(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                             const std::filesystem::path& working_dir);

// `crossvoice serve` as a child process on port 0 with its own data directory.
class ServiceProcess {
  public:
    // Starts the service and waits (up to `startup`) for its "listening on http://HOST:PORT" line.
    // `args` is the command line after the binary: `serve`, or `sandbox-carrier --listen 127.0.0.1:0 …`.
    ServiceProcess(const std::filesystem::path& data_dir, std::map<std::string, std::string> env = {},
                   std::chrono::milliseconds startup = std::chrono::seconds(30),
                   std::vector<std::string> args = {"serve"});
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    std::uint16_t port() const { return port_; }
    const std::vector<std::string>& stdout_lines() const { return stdout_lines_; }
    // The development key of a platform ("TETRIX" / "JOROMI") from the keys file the service printed.
    std::string development_key(const std::string& platform_upper) const;
    std::string keys_file() const { return keys_file_; }
    // The rest of the first stdout line (before "listening on") that starts with `prefix`; "" when none did.
    std::string printed(const std::string& prefix) const;
    // Sends SIGTERM and waits for the exit status (-1 if it did not exit within `wait`).
    int terminate(std::chrono::milliseconds wait = std::chrono::seconds(30));
    // SIGKILL, as when a machine dies: no drain, nothing finished or acknowledged. Waits for the process to go.
    void kill_now();
    // Everything the service wrote to stderr so far.
    std::string stderr_text() const;

  private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::uint16_t port_ = 0;
    std::vector<std::string> stdout_lines_;
    std::string keys_file_;
    std::filesystem::path stderr_path_;
    std::optional<int> exit_code_;
};

}  // namespace crossvoice::testing
