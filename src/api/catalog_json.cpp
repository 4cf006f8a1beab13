#include "api/catalog_json.hpp"

namespace mercato::api {

boost::json::object category_json(const domain::Category& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

boost::json::object product_json(const domain::Product& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"description", p.description},
          {"price", p.price},
          {"currency", p.currency},
          {"stock_quantity", p.stock_quantity},
          {"category_id", p.category_id},
          {"vendor_id", p.vendor_id},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

}  // namespace mercato::api
