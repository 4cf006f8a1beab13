#pragma once
// The outbox row's payload: the email as JSON {"to","subject","text_body"}, encrypted with
// the FieldCipher (recipient and one-time links are personal data at rest).

#include <string>
#include <string_view>

#include "domain/mail/mail_queue.hpp"
#include "security/field_cipher.hpp"

namespace mercato::db {

std::string seal_email_payload(const domain::EmailMessage& message, const security::FieldCipher& cipher);
// Throws std::runtime_error when the value cannot be decrypted (unknown key, tampering) or
// is not the JSON seal_email_payload writes.
domain::EmailMessage open_email_payload(std::string_view stored, const security::FieldCipher& cipher);

}  // namespace mercato::db
