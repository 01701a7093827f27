/*
** rc_graphio.c -- result tables written as graphs and JSON: GraphML and
** GEXF (Gephi) and networkx node-link JSON for a co-occurrence network, and
** JSON Lines for any table; and the wide entity x entity matrix as CSV
** or JSON (pandas' split orientation).
**
** A network is two tables the core made: the edges (cooccur: source,
** target, count, source_type, target_type, measures...) and the node facts
** (count: entity, type, country, mentions, ...).  Nodes are the edges'
** endpoints, in the order of the node table; a node the node table lacks
** gets empty attributes.  Every value is escaped for its format; numbers
** are printed with %.9g like the CSV.  The FILE is the caller's; a write
** failure makes the function return RC_EIO (checked once, at the end).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "rc_entity.h"
#include "rc_io.h"

static void put_xml(FILE *fp, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&apos;", fp); break;
        default:
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
                fputc(' ', fp); /* not allowed in XML 1.0 */
            else
                fputc(s[i], fp);
        }
    }
}

static void put_json_str(FILE *fp, const char *s, size_t n) {
    fputc('"', fp);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            fputc('\\', fp);
            fputc(ch, fp);
        } else if (ch < 0x20) {
            fprintf(fp, "\\u%04x", ch);
        } else {
            fputc(ch, fp);
        }
    }
    fputc('"', fp);
}

static void put_number(FILE *fp, double v, int json) {
    if (isnan(v)) fputs(json ? "null" : "nan", fp);
    else if (isinf(v)) fputs(json ? "null" : (v > 0 ? "inf" : "-inf"), fp);
    else fprintf(fp, "%.9g", v);
}

/* One cell as text (XML) or a JSON value. */
static void put_cell(FILE *fp, const rc_table *t, size_t row, size_t col, int json) {
    size_t len;
    const char *s;
    switch (rc_table_col_kind(t, col)) {
    case RC_COL_STR:
        s = rc_table_get_str(t, row, col, &len);
        if (json) put_json_str(fp, s, len);
        else put_xml(fp, s, len);
        break;
    case RC_COL_INT: fprintf(fp, "%lld", (long long)rc_table_get_int(t, row, col)); break;
    default: put_number(fp, rc_table_get_real(t, row, col), json);
    }
}

static rc_status finish(FILE *fp) {
    return ferror(fp) || fflush(fp) ? RC_EIO : RC_OK;
}

rc_status rc_write_jsonl(FILE *fp, const rc_table *t) {
    for (size_t i = 0; i < rc_table_rows(t); i++) {
        fputc('{', fp);
        for (size_t j = 0; j < rc_table_cols(t); j++) {
            const char *name = rc_table_col_name(t, j);
            if (j) fputc(',', fp);
            put_json_str(fp, name, strlen(name));
            fputc(':', fp);
            put_cell(fp, t, i, j, 1);
        }
        fputs("}\n", fp);
    }
    return finish(fp);
}

/* MARK: - Networks ------------------------------------------------------------ */

/* The edges' endpoints, as a sorted array of name hashes, so that a node
** is kept when some edge names it (one binary search a node). */
typedef struct endpoints {
    uint64_t *h;
    size_t n;
} endpoints;

static int u64_cmp(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static rc_status endpoints_build(const rc_table *edges, endpoints *e) {
    size_t n = rc_table_rows(edges) * 2;
    e->n = 0;
    e->h = malloc((n ? n : 1) * sizeof *e->h);
    if (!e->h) return RC_ENOMEM;
    for (size_t i = 0; i < rc_table_rows(edges); i++)
        for (size_t j = 0; j < 2; j++) {
            size_t l;
            const char *s = rc_table_get_str(edges, i, j, &l);
            e->h[e->n++] = rc_hash_bytes(s, l);
        }
    if (e->n > 1) qsort(e->h, e->n, sizeof *e->h, u64_cmp);
    return RC_OK;
}

static int in_edges(const endpoints *e, const char *name, size_t len) {
    uint64_t h = rc_hash_bytes(name, len);
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->h[mid] < h) lo = mid + 1;
        else hi = mid;
    }
    return lo < e->n && e->h[lo] == h;
}

/* Edge attribute columns: count and the measures (not names or types). */
static int edge_attr(const rc_table *edges, size_t col) {
    const char *n = rc_table_col_name(edges, col);
    return col >= 2 && strcmp(n, "source_type") && strcmp(n, "target_type");
}

static const char *xml_type(rc_col_kind k) {
    return k == RC_COL_STR ? "string" : k == RC_COL_INT ? "long" : "double";
}

rc_status rc_write_graphml(FILE *fp, const rc_table *nodes, const rc_table *edges,
                           int directed) {
    endpoints ep;
    if (endpoints_build(edges, &ep)) return RC_ENOMEM;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n", fp);
    for (size_t j = 1; j < rc_table_cols(nodes); j++)
        fprintf(fp, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                rc_table_col_name(nodes, j), rc_table_col_name(nodes, j),
                xml_type(rc_table_col_kind(nodes, j)));
    for (size_t j = 0; j < rc_table_cols(edges); j++)
        if (edge_attr(edges, j))
            fprintf(fp, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                    rc_table_col_name(edges, j), rc_table_col_name(edges, j),
                    xml_type(rc_table_col_kind(edges, j)));
    fprintf(fp, "  <graph id=\"G\" edgedefault=\"%s\">\n", directed ? "directed" : "undirected");
    for (size_t i = 0; i < rc_table_rows(nodes); i++) {
        size_t len;
        const char *name = rc_table_get_str(nodes, i, 0, &len);
        if (!in_edges(&ep, name, len)) continue;
        fputs("    <node id=\"", fp);
        put_xml(fp, name, len);
        fputs("\">", fp);
        for (size_t j = 1; j < rc_table_cols(nodes); j++) {
            fprintf(fp, "<data key=\"n_%s\">", rc_table_col_name(nodes, j));
            put_cell(fp, nodes, i, j, 0);
            fputs("</data>", fp);
        }
        fputs("</node>\n", fp);
    }
    for (size_t i = 0; i < rc_table_rows(edges); i++) {
        fputs("    <edge source=\"", fp);
        put_cell(fp, edges, i, 0, 0);
        fputs("\" target=\"", fp);
        put_cell(fp, edges, i, 1, 0);
        fputs("\">", fp);
        for (size_t j = 0; j < rc_table_cols(edges); j++) {
            if (!edge_attr(edges, j)) continue;
            fprintf(fp, "<data key=\"e_%s\">", rc_table_col_name(edges, j));
            put_cell(fp, edges, i, j, 0);
            fputs("</data>", fp);
        }
        fputs("</edge>\n", fp);
    }
    fputs("  </graph>\n</graphml>\n", fp);
    free(ep.h);
    return finish(fp);
}

rc_status rc_write_gexf(FILE *fp, const rc_table *nodes, const rc_table *edges,
                        int directed) {
    endpoints ep;
    if (endpoints_build(edges, &ep)) return RC_ENOMEM;
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n"
                "  <graph mode=\"static\" defaultedgetype=\"%s\">\n"
                "    <attributes class=\"node\">\n",
            directed ? "directed" : "undirected");
    for (size_t j = 1; j < rc_table_cols(nodes); j++)
        fprintf(fp, "      <attribute id=\"%zu\" title=\"%s\" type=\"%s\"/>\n", j,
                rc_table_col_name(nodes, j), xml_type(rc_table_col_kind(nodes, j)));
    fputs("    </attributes>\n    <attributes class=\"edge\">\n", fp);
    for (size_t j = 0; j < rc_table_cols(edges); j++)
        if (edge_attr(edges, j))
            fprintf(fp, "      <attribute id=\"%zu\" title=\"%s\" type=\"%s\"/>\n", j,
                    rc_table_col_name(edges, j), xml_type(rc_table_col_kind(edges, j)));
    fputs("    </attributes>\n    <nodes>\n", fp);
    for (size_t i = 0; i < rc_table_rows(nodes); i++) {
        size_t len;
        const char *name = rc_table_get_str(nodes, i, 0, &len);
        if (!in_edges(&ep, name, len)) continue;
        fputs("      <node id=\"", fp);
        put_xml(fp, name, len);
        fputs("\" label=\"", fp);
        put_xml(fp, name, len);
        fputs("\"><attvalues>", fp);
        for (size_t j = 1; j < rc_table_cols(nodes); j++) {
            fprintf(fp, "<attvalue for=\"%zu\" value=\"", j);
            put_cell(fp, nodes, i, j, 0);
            fputs("\"/>", fp);
        }
        fputs("</attvalues></node>\n", fp);
    }
    fputs("    </nodes>\n    <edges>\n", fp);
    for (size_t i = 0; i < rc_table_rows(edges); i++) {
        fprintf(fp, "      <edge id=\"%zu\" source=\"", i);
        put_cell(fp, edges, i, 0, 0);
        fputs("\" target=\"", fp);
        put_cell(fp, edges, i, 1, 0);
        fputs("\" weight=\"", fp);
        put_cell(fp, edges, i, 2, 0);
        fputs("\"><attvalues>", fp);
        for (size_t j = 0; j < rc_table_cols(edges); j++) {
            if (!edge_attr(edges, j)) continue;
            fprintf(fp, "<attvalue for=\"%zu\" value=\"", j);
            put_cell(fp, edges, i, j, 0);
            fputs("\"/>", fp);
        }
        fputs("</attvalues></edge>\n", fp);
    }
    fputs("    </edges>\n  </graph>\n</gexf>\n", fp);
    free(ep.h);
    return finish(fp);
}

rc_status rc_write_node_link(FILE *fp, const rc_table *nodes, const rc_table *edges,
                             int directed) {
    endpoints ep;
    if (endpoints_build(edges, &ep)) return RC_ENOMEM;
    fprintf(fp, "{\"directed\": %s, \"multigraph\": false, \"graph\": {}, \"nodes\": [",
            directed ? "true" : "false");
    int first = 1;
    for (size_t i = 0; i < rc_table_rows(nodes); i++) {
        size_t len;
        const char *name = rc_table_get_str(nodes, i, 0, &len);
        if (!in_edges(&ep, name, len)) continue;
        fputs(first ? "\n  {\"id\": " : ",\n  {\"id\": ", fp);
        first = 0;
        put_json_str(fp, name, len);
        for (size_t j = 1; j < rc_table_cols(nodes); j++) {
            fprintf(fp, ", \"%s\": ", rc_table_col_name(nodes, j));
            put_cell(fp, nodes, i, j, 1);
        }
        fputc('}', fp);
    }
    fputs("\n], \"links\": [", fp);
    for (size_t i = 0; i < rc_table_rows(edges); i++) {
        fputs(i ? ",\n  {" : "\n  {", fp);
        for (size_t j = 0; j < rc_table_cols(edges); j++) {
            if (j) fputs(", ", fp);
            fprintf(fp, "\"%s\": ", rc_table_col_name(edges, j));
            put_cell(fp, edges, i, j, 1);
        }
        fputc('}', fp);
    }
    fputs("\n]}\n", fp);
    free(ep.h);
    return finish(fp);
}

/* MARK: - Wide matrix -------------------------------------------------------- */

typedef struct label {
    const char *s;
    size_t n;
} label;

static int label_cmp(const void *x, const void *y) {
    const label *a = x, *b = y;
    int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}

static size_t label_find(const label *v, size_t n, const char *s, size_t len) {
    label key = {s, len};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (label_cmp(&v[mid], &key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The wide matrix of a cooccur table: sorted distinct names, and the
** count of (row, column) in m[row * n + column]. */
typedef struct wide {
    label *v;
    size_t n;
    double *m;
    int real; /* the count column holds reals (weighted) */
} wide;

static void wide_free(wide *x) {
    free(x->v);
    free(x->m);
}

static rc_status wide_build(const rc_table *edges, int directed, size_t max_labels,
                            wide *x, rc_error *err) {
    memset(x, 0, sizeof *x);
    size_t ne = rc_table_rows(edges), n = 0;
    label *v = x->v = malloc((ne ? ne * 2 : 1) * sizeof *v);
    if (!v) return RC_ENOMEM;
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < 2; j++) {
            v[n].s = rc_table_get_str(edges, i, j, &v[n].n);
            n++;
        }
    if (n > 1) qsort(v, n, sizeof *v, label_cmp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || label_cmp(&v[u - 1], &v[i])) v[u++] = v[i];
    x->n = u;
    if (u > max_labels)
        return rc_error_set(err, RC_ELIMIT, 0,
                            "the matrix would have %zu rows and columns (at most %zu): "
                            "narrow it with --top, --min-count, --types or --entity",
                            u, max_labels);
    double *m = x->m = calloc(u ? u * u : 1, sizeof *m);
    if (!m) return RC_ENOMEM;
    x->real = rc_table_col_kind(edges, 2) == RC_COL_REAL;
    for (size_t i = 0; i < ne; i++) {
        size_t la, lb;
        const char *a = rc_table_get_str(edges, i, 0, &la);
        const char *b = rc_table_get_str(edges, i, 1, &lb);
        size_t ia = label_find(v, u, a, la), ib = label_find(v, u, b, lb);
        double c = x->real ? rc_table_get_real(edges, i, 2)
                           : (double)rc_table_get_int(edges, i, 2);
        m[ia * u + ib] = c;
        if (!directed) m[ib * u + ia] = c;
    }
    return RC_OK;
}

static rc_status wide_csv(rc_csv_writer *w, const wide *x) {
    size_t u = x->n;
    rc_status rc = rc_csv_field(w, "entity", 6);
    for (size_t j = 0; rc == RC_OK && j < u; j++) rc = rc_csv_field(w, x->v[j].s, x->v[j].n);
    if (rc == RC_OK) rc = rc_csv_row_end(w);
    for (size_t i = 0; rc == RC_OK && i < u; i++) {
        rc = rc_csv_field(w, x->v[i].s, x->v[i].n);
        for (size_t j = 0; rc == RC_OK && j < u; j++)
            rc = x->real ? rc_csv_field_double(w, x->m[i * u + j])
                         : rc_csv_field_int(w, (int64_t)x->m[i * u + j]);
        if (rc == RC_OK) rc = rc_csv_row_end(w);
    }
    return rc;
}

static void json_labels(FILE *fp, const wide *x) {
    fputc('[', fp);
    for (size_t j = 0; j < x->n; j++) {
        if (j) fputs(", ", fp);
        put_json_str(fp, x->v[j].s, x->v[j].n);
    }
    fputc(']', fp);
}

/* pandas' "split" orientation: pd.read_json(f, orient="split"). */
static rc_status wide_json(FILE *fp, const wide *x) {
    size_t u = x->n;
    fputs("{\"columns\": ", fp);
    json_labels(fp, x);
    fputs(",\n \"index\": ", fp);
    json_labels(fp, x);
    fputs(",\n \"data\": [", fp);
    for (size_t i = 0; i < u; i++) {
        fputs(i ? ",\n  [" : "\n  [", fp);
        for (size_t j = 0; j < u; j++) {
            if (j) fputs(", ", fp);
            if (x->real) put_number(fp, x->m[i * u + j], 1);
            else fprintf(fp, "%lld", (long long)x->m[i * u + j]);
        }
        fputc(']', fp);
    }
    fputs("]}\n", fp);
    return ferror(fp) ? RC_EIO : RC_OK;
}

rc_status rc_write_matrix(rc_csv_writer *w, FILE *json, const rc_table *edges,
                          int directed, size_t max_labels, rc_error *err) {
    wide x;
    rc_status rc = wide_build(edges, directed, max_labels, &x, err);
    if (rc == RC_OK) rc = json ? wide_json(json, &x) : wide_csv(w, &x);
    wide_free(&x);
    return rc;
}
