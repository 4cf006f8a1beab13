#pragma once
// What the domain needs to send email: put a message on the queue inside the current
// transaction (a transactional outbox), so that an email is sent if and only if the change
// that caused it was committed. Delivery and retries happen elsewhere (src/mail/).

#include <string>

namespace mercato::domain {

struct EmailMessage {
  std::string to;
  std::string subject;
  std::string text_body;
};

class MailQueue {
 public:
  virtual ~MailQueue() = default;
  virtual void enqueue(const EmailMessage& message) = 0;
};

}  // namespace mercato::domain
