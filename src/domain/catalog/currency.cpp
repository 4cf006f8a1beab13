#include "domain/catalog/currency.hpp"

#include <algorithm>

namespace mercato::domain {

bool is_known_currency(std::string_view lower_case_code) {
  auto codes = known_currency_codes();
  return std::binary_search(codes.begin(), codes.end(), lower_case_code);
}

}  // namespace mercato::domain
