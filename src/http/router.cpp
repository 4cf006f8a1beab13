#include "http/router.hpp"

#include <stdexcept>

namespace mercato::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param(std::string_view segment) { return segment.size() > 1 && segment.front() == ':'; }

// Fills `params` when `path` fits `path_template`.
bool matches(std::string_view path_template, const std::vector<std::string_view>& path_segments,
             std::map<std::string, std::string, std::less<>>& params) {
  auto template_segments = split_path(path_template);
  if (template_segments.size() != path_segments.size()) return false;
  std::map<std::string, std::string, std::less<>> found;
  for (std::size_t i = 0; i < template_segments.size(); ++i) {
    if (is_param(template_segments[i])) {
      if (path_segments[i].empty()) return false;
      found.emplace(std::string{template_segments[i].substr(1)}, std::string{path_segments[i]});
    } else if (template_segments[i] != path_segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(Route route) {
  if (route.path_template.empty() || route.path_template.front() != '/')
    throw std::invalid_argument("route template must start with '/': " + route.path_template);
  if (route.access.kind == AccessPolicy::Kind::undeclared)
    throw std::invalid_argument("route without access policy: " + route.path_template);
  if (!route.handler) throw std::invalid_argument("route without handler: " + route.path_template);
  for (const auto& existing : routes_)
    if (existing.method == route.method && existing.path_template == route.path_template)
      throw std::invalid_argument("duplicate route: " + route.path_template);
  routes_.push_back(std::move(route));
}

// Literal segments win over parameters: "/api/orders/events" beats "/api/orders/:id"
// regardless of registration order.
RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split_path(path);
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string, std::less<>> best_params;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!matches(route.path_template, segments, params)) continue;
    if (route.method != method) {
      result.allowed.push_back(route.method);
      continue;
    }
    int literals = static_cast<int>(segments.size() - params.size());
    if (literals > best_literals) {
      best = &route;
      best_literals = literals;
      best_params = std::move(params);
    }
  }
  if (best) {
    result.outcome = RouteMatch::Outcome::found;
    result.route = best;
    result.params = std::move(best_params);
    result.allowed.clear();
  } else if (!result.allowed.empty()) {
    result.outcome = RouteMatch::Outcome::method_not_allowed;
  }
  return result;
}

}  // namespace mercato::http
