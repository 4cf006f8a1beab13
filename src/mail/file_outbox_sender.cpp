#include "mail/file_outbox_sender.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/time_format.hpp"

namespace mercato::mail {

namespace {

// "20261125T232430.123456Z": sortable, and without ':' so the name is valid everywhere.
std::string file_timestamp(std::chrono::system_clock::time_point t) {
  auto text = format_rfc3339(t);
  std::erase_if(text, [](char c) { return c == '-' || c == ':'; });
  return text;
}

// Owner-only permissions: the file holds a one-time link that logs in or resets a password.
void write_file(const std::filesystem::path& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open");
  std::size_t written = 0;
  while (written < data.size()) {
    auto n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), "write");
    }
    written += static_cast<std::size_t>(n);
  }
  // Data on disk before the rename makes the name visible: never an empty .eml after a crash.
  int synced = ::fsync(fd) == 0 ? 0 : errno;
  int closed = ::close(fd) == 0 ? 0 : errno;
  if (synced != 0 || closed != 0) throw std::system_error(synced ? synced : closed, std::generic_category(), "fsync");
}

}  // namespace

FileOutboxSender::FileOutboxSender(std::filesystem::path dir, std::string_view from, const Clock& clock,
                                   security::RandomSource& random)
    : dir_(std::move(dir)), composer_(from, clock, random), clock_(clock) {}

void FileOutboxSender::send(const domain::EmailMessage& message) {
  ComposedMessage composed;
  try {
    composed = composer_.compose(message);
  } catch (const std::invalid_argument& e) {
    throw MailError(e.what(), true);
  }
  auto name = file_timestamp(clock_.now()) + "-" + composed.id + ".eml";
  auto final_path = dir_ / name;
  auto temporary_path = dir_ / (name + ".tmp");
  try {
    std::filesystem::create_directories(dir_);
    write_file(temporary_path, composed.text);
    std::filesystem::rename(temporary_path, final_path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path, ignored);
    // The folder is configuration, not a secret; the message content never appears here.
    throw MailError(std::string("cannot write to the mail outbox folder: ") + e.what());
  }
}

}  // namespace mercato::mail
