// mercato: the commerce REST API server. See README.md.
#include "app/commands.hpp"

int main(int argc, char** argv) { return mercato::app::run_command({argv, argv + argc}); }
