#include "db/mail/email_payload.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

namespace mercato::db {

std::string seal_email_payload(const domain::EmailMessage& message, const security::FieldCipher& cipher) {
  boost::json::object payload{{"to", message.to}, {"subject", message.subject}, {"text_body", message.text_body}};
  return cipher.encrypt(boost::json::serialize(payload));
}

domain::EmailMessage open_email_payload(std::string_view stored, const security::FieldCipher& cipher) {
  auto plaintext = cipher.decrypt(stored);
  boost::system::error_code ec;
  auto value = boost::json::parse(plaintext, ec);
  const auto* object = ec ? nullptr : value.if_object();
  auto field = [&](const char* name) -> std::string {
    const auto* v = object ? object->if_contains(name) : nullptr;
    if (!v || !v->is_string()) throw std::runtime_error("outbox payload is malformed");
    return std::string(v->as_string());
  };
  return {field("to"), field("subject"), field("text_body")};
}

}  // namespace mercato::db
