#pragma once
// Where a verifier of provider-signed tokens gets the public key for a `kid`: an interface,
// so the fetching and caching (clients/jwks_key_source) stays out of the signature checks
// and tests can hand in fixed keys.

#include <memory>
#include <string_view>

#include "security/jwk_set.hpp"

namespace mercato::security {

struct KeyLookup {
  enum class Status {
    found,        // keys->find(kid) is the key
    unknown_kid,  // the provider does not publish that kid (as far as we may ask now)
    unavailable,  // we hold no usable keys and could not get them: our dependency failed
  };
  Status status = Status::unavailable;
  std::shared_ptr<const JwkSet> keys;  // the snapshot the key lives in, when found
  int retry_after_seconds = 0;         // when unavailable
};

class SigningKeySource {
 public:
  virtual ~SigningKeySource() = default;
  // Thread-safe; may block on a fetch.
  virtual KeyLookup find(std::string_view kid) = 0;
};

}  // namespace mercato::security
