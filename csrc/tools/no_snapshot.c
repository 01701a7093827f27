/*
** no_snapshot.c -- for csrc/tools/snapshot.c only: the core's built-in
** snapshot and tagger model as empty data, so that the tool parses the
** gazetteer from its text and links without the 4.7 MB model.
*/
#include <stddef.h>

const unsigned char rc_builtin_snapshot[1] = {0};
const size_t rc_builtin_snapshot_len = 0;
const unsigned char rc_builtin_model[1] = {0};
const size_t rc_builtin_model_len = 0;
