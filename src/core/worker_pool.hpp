#pragma once
// A fixed set of threads for blocking work (database, bcrypt, libcurl) with a bounded
// queue: try_submit refuses instead of queueing without bound, so the caller can answer 503.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mercato {

class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_capacity);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  // False when the queue is full or the pool is stopping; the task is then not run.
  bool try_submit(std::function<void()> task);
  // Runs what is queued, then joins the threads. Idempotent.
  void stop();
  std::size_t queued() const;

 private:
  void run();

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;
};

}  // namespace mercato
