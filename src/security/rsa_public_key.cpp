#include "security/rsa_public_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <vector>

#include "security/base64.hpp"

namespace mercato::security {

namespace {

struct BnFree {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const noexcept { OSSL_PARAM_free(params); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// A positive big-endian integer without leading zero bytes beyond the first (RFC 7518
// §2 "Base64urlUInt"); lenient about a leading zero, which some encoders emit.
std::unique_ptr<BIGNUM, BnFree> decode_uint(std::string_view base64url) {
  auto bytes = base64url_decode(base64url);
  if (!bytes || bytes->empty()) return nullptr;
  return std::unique_ptr<BIGNUM, BnFree>(BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), nullptr));
}

}  // namespace

void RsaPublicKey::Free::operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }

std::optional<RsaPublicKey> RsaPublicKey::from_jwk(std::string_view n, std::string_view e) {
  auto modulus = decode_uint(n);
  auto exponent = decode_uint(e);
  if (!modulus || !exponent || BN_is_zero(modulus.get()) || BN_is_zero(exponent.get())) return std::nullopt;
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1)
    return std::nullopt;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder.get()));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return std::nullopt;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || key == nullptr)
    return std::nullopt;
  return RsaPublicKey(key);
}

RsaPublicKey::RsaPublicKey(EVP_PKEY* key) : key_(key, Free{}) {}

int RsaPublicKey::bits() const noexcept { return EVP_PKEY_get_bits(key_.get()); }

bool RsaPublicKey::verify_rs256(std::string_view signing_input, std::span<const std::uint8_t> signature) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  // The padding is PKCS #1 v1.5, OpenSSL's default for RSA keys: RS256 exactly, not PS256.
  if (EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key_.get(), nullptr) != 1) return false;
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

}  // namespace mercato::security
