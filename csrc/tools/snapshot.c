/*
** snapshot.c -- build tool: the snapshot of the built-in gazetteer
** (rc_gazetteer_snapshot: its word classes and rows as parsed and its
** index as frozen) written to a file, which embed.c then turns into the
** core's rc_builtin_snapshot.  Linked with the core and with
** no_snapshot.c in place of a snapshot (and of the tagger's model, which
** it never reads), so the gazetteer it saves is parsed and frozen from
** the text.  Used by the Makefile and by setup.py alike.
** Usage: snapshot OUTPUT
*/
#include <stdio.h>
#include <stdlib.h>

#include "rc_entity.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: snapshot OUTPUT\n");
        return 2;
    }
    rc_error err = {0};
    rc_gazetteer *g = NULL;
    unsigned char *snap = NULL;
    size_t len = 0;
    rc_status rc = rc_gazetteer_new(1, NULL, &g, &err);
    if (rc == RC_OK) rc = rc_gazetteer_freeze(g, &err);
    if (rc == RC_OK) rc = rc_gazetteer_snapshot(g, &snap, &len);
    if (rc) {
        fprintf(stderr, "snapshot: %s\n", err.msg[0] ? err.msg : rc_strerror(rc));
        rc_gazetteer_free(g);
        return 1;
    }
    FILE *out = fopen(argv[1], "wb");
    int bad = !out || fwrite(snap, 1, len, out) != len;
    if (out && fclose(out) != 0) bad = 1;
    if (bad) perror(argv[1]);
    free(snap);
    rc_gazetteer_free(g);
    return bad;
}
