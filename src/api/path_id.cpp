#include "api/path_id.hpp"

#include "core/error.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

std::string path_id(const http::Request& request, std::string_view what) {
  auto id = security::canonical_uuid(request.path_param("id"));
  if (!id) throw Error::not_found("No such " + std::string(what) + ".");
  return *id;
}

}  // namespace mercato::api
