/* A map in C with its hand-written Jacobian, served to `jacobian check --exec ./layer` over the JSON-lines
 * protocol of docs/exec-protocol.md (version 1). Build: cc -O2 -o layer layer.c -lm
 *
 *   f: R^3 -> R^2,  y0 = x0*x1 + sin(x2),  y1 = exp(x0) - x2^2
 *   J (numerator, 2x3) = [[x1, x0, cos x2], [exp x0, 0, -2 x2]]
 *
 * The request lines are written by jacobian, so this reader only needs what they contain: "id", "op",
 * "jacobian" and "points" (an array of arrays of numbers). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 3, M = 2 };

static void f(const double *x, double *y) {
    y[0] = x[0] * x[1] + sin(x[2]);
    y[1] = exp(x[0]) - x[2] * x[2];
}

static void jacobian(const double *x, double J[M][N]) {
    J[0][0] = x[1];      J[0][1] = x[0]; J[0][2] = cos(x[2]);
    J[1][0] = exp(x[0]); J[1][1] = 0;    J[1][2] = -2 * x[2];
}

static void print_row(const double *v, int n) {
    putchar('[');
    for (int i = 0; i < n; i++) printf(i ? ",%.17g" : "%.17g", v[i]);
    putchar(']');
}

int main(void) {
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, stdin) > 0) {
        char *id = strstr(line, "\"id\":");
        long request = id ? strtol(id + 5, NULL, 10) : 0;
        if (strstr(line, "\"op\":\"info\"")) {
            printf("{\"id\":%ld,\"name\":\"c-layer\",\"input\":[%d],\"output\":[%d],\"layout\":\"numerator\"}\n",
                   request, N, M);
            fflush(stdout);
            continue;
        }
        int want_jacobian = strstr(line, "\"jacobian\":true") != NULL;
        char *p = strstr(line, "\"points\":[");
        if (!p) {
            printf("{\"id\":%ld,\"error\":\"no points in the request\"}\n", request);
            fflush(stdout);
            continue;
        }
        p += strlen("\"points\":[");
        /* Collect the points, N numbers each. */
        size_t count = 0, room = 64;
        double *points = malloc(room * N * sizeof *points);
        while (*p == '[') {
            if (count == room) points = realloc(points, (room *= 2) * N * sizeof *points);
            p++;
            for (int i = 0; i < N; i++) {
                points[count * N + i] = strtod(p, &p);
                if (*p == ',') p++;
            }
            if (*p == ']') p++;
            if (*p == ',') p++;
            count++;
        }
        printf("{\"id\":%ld,\"values\":[", request);
        for (size_t k = 0; k < count; k++) {
            double y[M];
            f(points + k * N, y);
            if (k) putchar(',');
            print_row(y, M);
        }
        putchar(']');
        if (want_jacobian) {
            printf(",\"jacobians\":[");
            for (size_t k = 0; k < count; k++) {
                double J[M][N];
                jacobian(points + k * N, J);
                printf(k ? ",[" : "[");
                for (int i = 0; i < M; i++) {
                    if (i) putchar(',');
                    print_row(J[i], N);
                }
                putchar(']');
            }
            putchar(']');
        }
        printf("}\n");
        fflush(stdout);
        free(points);
    }
    free(line);
    return 0;
}
