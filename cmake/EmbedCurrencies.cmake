# Compiles the ISO 4217 currency codes of Debian's iso-codes package into the binary, so
# that the list is the maintained one and nothing is read at run time.
set(MERCATO_ISO_4217_JSON /usr/share/iso-codes/json/iso_4217.json CACHE FILEPATH
    "iso_4217.json of the iso-codes package")

function(embed_currencies output)
  if(NOT EXISTS ${MERCATO_ISO_4217_JSON})
    message(FATAL_ERROR "${MERCATO_ISO_4217_JSON} not found: install the iso-codes package")
  endif()
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${MERCATO_ISO_4217_JSON} -DOUTPUT=${output}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateCurrencies.cmake
    DEPENDS ${MERCATO_ISO_4217_JSON} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateCurrencies.cmake
    COMMENT "Embedding ISO 4217 currency codes")
endfunction()
