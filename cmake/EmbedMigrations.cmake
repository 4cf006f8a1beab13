# Compiles migrations/<dialect>/NNNN_name.sql into the binary, so that the single
# executable carries its schema and never reads SQL files at run time.
function(embed_migrations source_dir output)
  file(GLOB sqlite_files CONFIGURE_DEPENDS ${source_dir}/sqlite/*.sql)
  file(GLOB postgres_files CONFIGURE_DEPENDS ${source_dir}/postgres/*.sql)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${source_dir} -DOUTPUT=${output}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateMigrations.cmake
    DEPENDS ${sqlite_files} ${postgres_files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateMigrations.cmake
    COMMENT "Embedding SQL migrations")
endfunction()
