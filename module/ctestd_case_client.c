/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The light `ctestd case` client that ctestd_discover_tests() builds for each
 * test target (<target>_ctestd_case) and registers as the first word of every
 * case's CTest command:
 *
 *   <target>_ctestd_case case --build-dir B --executable E ... --selector S
 *
 * It takes the common path in well under a millisecond of CPU: it asks the
 * running daemon of build tree B for the case over the daemon's case socket
 * (a local socket in a directory only this user can enter, checked with
 * SO_PEERCRED on both ends), prints the answer and exits with its code. It
 * links nothing but the C library, so that ctest can start thousands of them.
 *
 * Everything else it hands to the full client by exec'ing `ctestd case` with
 * the same arguments (CTESTD_PROGRAM, fixed when it is built): no daemon yet
 * (the full client starts one and says why when it cannot), a debugger or
 * tracer (TracerPid) or CTESTD_DIRECT=1 (the full client execs the test
 * executable itself), and any argument or text this file does not handle.
 * Being a target that depends on the test target, it also makes IDEs that
 * build a test command's first word (VS Code) rebuild the test executable.
 *
 * Written in the common subset of C and C++, so a project with only C++
 * enabled compiles it as C++. The protocol is src/PROTOCOL.md ("Clients
 * of ctestd serve").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef CTESTD_PROGRAM
#error "build with CTESTD_PROGRAM defined to the path of ctestd, as ctestd_discover_tests() does"
#endif

extern char **environ;

enum { MaxFrame = 16 * 1024 * 1024, MaxAncestors = 32, TypeCaseRequest = 30, TypeCaseAnswer = 40, TypeCaseAccepted = 42 };

struct buffer {
    unsigned char *data;
    size_t size;
    size_t capacity;
};

static void put(struct buffer *b, const void *data, size_t size)
{
    if (b->size + size > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->size + size)
            capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(b->data, capacity);
        if (!grown) {
            fputs("ctestd case: out of memory\n", stderr);
            exit(1);
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->size, data, size);
    b->size += size;
}

/* --- The full client ---------------------------------------------------- */

static char **g_argv;

/* Hands the case to `ctestd case` with this client's own arguments. */
static void full_client(void)
{
    g_argv[0] = (char *)CTESTD_PROGRAM;
    fflush(stdout);
    execv(CTESTD_PROGRAM, g_argv);
    fprintf(stderr, "ctestd case: cannot run %s: %s\n", CTESTD_PROGRAM, strerror(errno));
    exit(1);
}

/* --- CBOR (RFC 8949), as much as CaseRequest and CaseAnswer need --------- */

static void cbor_head(struct buffer *b, unsigned major, uint64_t value)
{
    unsigned char bytes[9];
    size_t size = 1;
    if (value < 24) {
        bytes[0] = (unsigned char)(major << 5 | value);
    } else {
        int width = value <= 0xff ? 1 : value <= 0xffff ? 2 : value <= 0xffffffffu ? 4 : 8;
        bytes[0] = (unsigned char)(major << 5 | (width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27));
        for (int i = 0; i < width; ++i)
            bytes[1 + i] = (unsigned char)(value >> (8 * (width - 1 - i)));
        size += (size_t)width;
    }
    put(b, bytes, size);
}

/* Whether text is valid UTF-8 (no overlong forms, no surrogates), as a CBOR
 * text string must be. */
static int is_utf8(const char *text, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        size_t more = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
        } else {
            return 0;
        }
        if (i + more >= size)
            return 0;
        for (size_t k = 1; k <= more; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        }
        const unsigned char next = s[i + 1];
        if ((c == 0xe0 && next < 0xa0) || (c == 0xed && next >= 0xa0) || (c == 0xf0 && next < 0x90)
            || (c == 0xf4 && next >= 0x90))
            return 0;
        i += more + 1;
    }
    return 1;
}

static void cbor_text_n(struct buffer *b, const char *text, size_t size)
{
    /* Qt reads text that is not UTF-8 lossily; the full client does that. */
    if (!is_utf8(text, size))
        full_client();
    cbor_head(b, 3, size);
    put(b, text, size);
}

static void cbor_text(struct buffer *b, const char *text)
{
    cbor_text_n(b, text, strlen(text));
}

static void cbor_double(struct buffer *b, double value)
{
    unsigned char bytes[9];
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    bytes[0] = 0xfb;
    for (int i = 0; i < 8; ++i)
        bytes[1 + i] = (unsigned char)(bits >> (8 * (7 - i)));
    put(b, bytes, sizeof bytes);
}

struct reader {
    const unsigned char *at;
    const unsigned char *end;
};

/* Reads an item's head; returns 0 on malformed input. */
static int cbor_read_head(struct reader *r, unsigned *major, uint64_t *value)
{
    if (r->at >= r->end)
        return 0;
    const unsigned char first = *r->at++;
    const unsigned info = first & 31;
    *major = first >> 5;
    if (info < 24) {
        *value = info;
        return 1;
    }
    if (info > 27)
        return 0; /* indefinite lengths: never sent */
    const int width = 1 << (info - 24);
    if (r->end - r->at < width)
        return 0;
    *value = 0;
    for (int i = 0; i < width; ++i)
        *value = *value << 8 | *r->at++;
    return 1;
}

static int cbor_skip(struct reader *r, int depth)
{
    unsigned major;
    uint64_t value;
    if (depth > 32 || !cbor_read_head(r, &major, &value))
        return 0;
    switch (major) {
    case 2:
    case 3:
        if ((uint64_t)(r->end - r->at) < value)
            return 0;
        r->at += value;
        return 1;
    case 4:
    case 5:
        for (uint64_t i = 0; i < (major == 5 ? 2 * value : value); ++i) {
            if (!cbor_skip(r, depth + 1))
                return 0;
        }
        return 1;
    case 6:
        return cbor_skip(r, depth + 1);
    default:
        return 1; /* integers, simple values and floats: the head was all */
    }
}

/* --- The ctest invocation (see src/service/invocation.h) ------------- */

/* Fields of /proc/<pid>/stat after the command name: [0] is the state. */
static int read_stat(long pid, char *command, size_t command_size, long *ppid, unsigned long long *start)
{
    char path[64];
    char text[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *file = fopen(path, "r");
    if (!file)
        return 0;
    const size_t size = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[size] = 0;
    char *open = strchr(text, '(');
    char *close = strrchr(text, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return 0;
    const size_t length = (size_t)(close - open - 1);
    if (length >= command_size)
        return 0;
    memcpy(command, open + 1, length);
    command[length] = 0;
    char *field = close + 2;
    for (int index = 0; index <= 19 && field; ++index) {
        if (index == 1)
            *ppid = strtol(field, NULL, 10);
        if (index == 19) {
            *start = strtoull(field, NULL, 10);
            return 1;
        }
        field = strchr(field, ' ');
        if (field)
            ++field;
    }
    return 0;
}

static int is_ctest_name(const char *command)
{
    if (strncmp(command, "ctest", 5) != 0)
        return 0;
    for (const char *c = command + 5; *c; ++c) {
        if (!(*c == '.' || (*c >= '0' && *c <= '9')))
            return 0;
    }
    return 1;
}

static void find_invocation(long *pid, unsigned long long *start, int *ctest)
{
    long candidate = (long)getppid();
    char command[256];
    for (int depth = 0; depth < MaxAncestors && candidate > 1; ++depth) {
        long parent = 0;
        unsigned long long started = 0;
        if (!read_stat(candidate, command, sizeof command, &parent, &started))
            break;
        if (is_ctest_name(command)) {
            *pid = candidate;
            *start = started;
            *ctest = 1;
            return;
        }
        candidate = parent;
    }
    long parent = 0;
    *pid = (long)getpid();
    *ctest = 0;
    if (!read_stat(*pid, command, sizeof command, &parent, start))
        full_client();
}

static int traced_or_direct(void)
{
    const char *direct = getenv("CTESTD_DIRECT");
    if (direct && strcmp(direct, "1") == 0)
        return 1;
    FILE *status = fopen("/proc/self/status", "r");
    if (!status)
        return 0;
    char line[256];
    int traced = 0;
    while (fgets(line, sizeof line, status)) {
        if (strncmp(line, "TracerPid:", 10) == 0) {
            traced = strtol(line + 10, NULL, 10) != 0;
            break;
        }
    }
    fclose(status);
    return traced;
}

/* --- Sending and receiving ---------------------------------------------- */

/* Writes all of data. To the daemon's socket with send() and MSG_NOSIGNAL:
 * a daemon that closed the connection is an answer to report, not a signal
 * that kills the client. */
static int write_all(int fd, const unsigned char *data, size_t size, int is_socket)
{
    while (size > 0) {
        const ssize_t written = is_socket ? send(fd, data, size, MSG_NOSIGNAL) : write(fd, data, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return 0;
        data += written;
        size -= (size_t)written;
    }
    return 1;
}

static int read_all(int fd, unsigned char *data, size_t size)
{
    while (size > 0) {
        const ssize_t got = read(fd, data, size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        data += got;
        size -= (size_t)got;
    }
    return 1;
}

static void write_out(int fd, const unsigned char *data, size_t size)
{
    if (!write_all(fd, data, size, 0))
        exit(1);
}

int main(int argc, char **argv)
{
    g_argv = argv;
    if (argc < 2 || strcmp(argv[1], "case") != 0 || traced_or_direct())
        full_client();

    /* The options of `ctestd case` (src/cli/options.cpp), with its
     * defaults; anything else is the full client's to judge. */
    const char *build_dir = NULL, *executable = NULL, *framework = "auto", *group_by = "", *group = "";
    const char *selector = NULL, *working_directory = NULL;
    double timeout = 1500; /* defaults::CaseTimeoutSeconds (src/model/defaults.h) */
    int extra_count = 0;
    for (int i = 2; i < argc; ++i) {
        const char *option = argv[i];
        if (i + 1 >= argc)
            full_client();
        const char *value = argv[++i];
        if (strcmp(option, "--build-dir") == 0) {
            build_dir = value;
        } else if (strcmp(option, "--executable") == 0) {
            executable = value;
        } else if (strcmp(option, "--framework") == 0) {
            framework = value;
        } else if (strcmp(option, "--group-by") == 0) {
            group_by = value;
        } else if (strcmp(option, "--group") == 0) {
            group = value;
        } else if (strcmp(option, "--selector") == 0) {
            selector = value;
        } else if (strcmp(option, "--working-directory") == 0) {
            working_directory = value;
        } else if (strcmp(option, "--timeout") == 0) {
            char *end = NULL;
            timeout = strtod(value, &end);
            if (!*value || *end || !(timeout >= 0))
                full_client();
        } else if (strcmp(option, "--extra-arg") == 0) {
            ++extra_count;
        } else {
            full_client();
        }
    }
    if (!build_dir || build_dir[0] != '/' || !executable || !*executable || !selector || !*selector)
        full_client();
    if (strcmp(group_by, "case") != 0 && strcmp(group_by, "suite") != 0 && strcmp(group_by, "executable") != 0
        && *group_by)
        full_client();
    /* The build of the executable now, as the full client writes it
     * (executableIdentity() in src/service/invocation.cpp): only a run
     * of this build may answer. Empty when it cannot be read. */
    char identity[128] = "";
    struct stat info;
    if (stat(executable, &info) == 0) {
        snprintf(identity, sizeof identity, "%llu:%llu:%lld:%lld.%09ld", (unsigned long long)info.st_dev,
            (unsigned long long)info.st_ino, (long long)info.st_size, (long long)info.st_mtim.tv_sec,
            (long)info.st_mtim.tv_nsec);
    }
    char cwd[4096];
    if (!working_directory || !*working_directory) {
        if (!getcwd(cwd, sizeof cwd))
            full_client();
        working_directory = cwd;
    }

    /* The daemon's case socket: the second line of B/.ctestd/socket. No
     * daemon (yet), or an older one without it: the full client. */
    char path[4096];
    snprintf(path, sizeof path, "%s/.ctestd/socket", build_dir);
    FILE *name_file = fopen(path, "r");
    if (!name_file)
        full_client();
    char first[4096], second[4096];
    const int named = fgets(first, sizeof first, name_file) && fgets(second, sizeof second, name_file);
    fclose(name_file);
    if (!named)
        full_client();
    second[strcspn(second, "\n")] = 0;
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(second) >= sizeof address.sun_path)
        full_client();
    strcpy(address.sun_path, second);
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *)&address, sizeof address) != 0)
        full_client(); /* a daemon that died, or one starting: it knows what to do */
    /* Its directory is private, but the listener must be this user's too. */
    struct ucred peer;
    socklen_t peer_size = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0 || peer.uid != getuid()) {
        fprintf(stderr, "ctestd case: the daemon socket %s belongs to uid %ld, not to this user (%ld); refused\n",
            second, (long)peer.uid, (long)getuid());
        return 1;
    }

    long invocation_pid = 0;
    unsigned long long invocation_start = 0;
    int invocation_ctest = 0;
    find_invocation(&invocation_pid, &invocation_start, &invocation_ctest);

    /* CaseRequest, every field, as the full client writes it. */
    struct buffer body = {NULL, 0, 0};
    unsigned char type = TypeCaseRequest;
    put(&body, "\0\0\0\0", 4); /* the length, filled in below */
    put(&body, &type, 1);
    cbor_head(&body, 5, 13);
    cbor_text(&body, "exe");
    cbor_text(&body, executable);
    cbor_text(&body, "framework");
    cbor_text(&body, framework);
    cbor_text(&body, "groupby");
    cbor_text(&body, group_by);
    cbor_text(&body, "group");
    cbor_text(&body, group);
    cbor_text(&body, "selector");
    cbor_text(&body, selector);
    cbor_text(&body, "cwd");
    cbor_text(&body, working_directory);
    cbor_text(&body, "args");
    cbor_head(&body, 4, (uint64_t)extra_count);
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--extra-arg") == 0)
            cbor_text(&body, argv[i + 1]);
    }
    /* The environment: a name once (the first, as getenv() finds it). */
    size_t variables = 0;
    for (char **v = environ; *v; ++v)
        ++variables;
    const char **names = (const char **)calloc(variables + 1, sizeof *names);
    size_t *lengths = (size_t *)calloc(variables + 1, sizeof *lengths);
    size_t unique = 0;
    if (!names || !lengths)
        full_client();
    for (char **v = environ; *v; ++v) {
        const char *equals = strchr(*v, '=');
        if (!equals || equals == *v)
            continue;
        const size_t length = (size_t)(equals - *v);
        int seen = 0;
        for (size_t k = 0; k < unique && !seen; ++k)
            seen = lengths[k] == length && memcmp(names[k], *v, length) == 0;
        if (seen)
            continue;
        names[unique] = *v;
        lengths[unique++] = length;
    }
    cbor_text(&body, "env");
    cbor_head(&body, 5, unique);
    for (size_t k = 0; k < unique; ++k) {
        cbor_text_n(&body, names[k], lengths[k]);
        cbor_text(&body, names[k] + lengths[k] + 1);
    }
    cbor_text(&body, "timeout");
    cbor_double(&body, timeout);
    cbor_text(&body, "invpid");
    cbor_head(&body, 0, (uint64_t)invocation_pid);
    cbor_text(&body, "invstart");
    cbor_head(&body, 0, invocation_start);
    cbor_text(&body, "invctest");
    put(&body, invocation_ctest ? "\xf5" : "\xf4", 1);
    cbor_text(&body, "exeid");
    cbor_text(&body, identity);
    const size_t length = body.size - 4;
    if (length > MaxFrame)
        full_client();
    for (int i = 0; i < 4; ++i)
        body.data[i] = (unsigned char)(length >> (8 * (3 - i)));

    char log[4200];
    snprintf(log, sizeof log, "%s/.ctestd/serve.log", build_dir);
    /* Until CaseAccepted, a closed connection was never served: the daemon
     * was leaving (idle) as this client connected. The full client asks
     * again, starting the next daemon. After it, the answer is final. */
    int accepted = 0;
    if (!write_all(fd, body.data, body.size, 1)) {
        close(fd);
        full_client();
    }

    /* CaseAnswer {output, note, exitcode, ...}: the answer, printed. */
    unsigned char *payload = NULL;
    uint32_t size = 0;
    for (;;) {
        unsigned char header[4];
        int whole = read_all(fd, header, sizeof header);
        if (whole) {
            size = (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
            if (size < 1 || size > MaxFrame) {
                fprintf(stderr, "ctestd case: the daemon sent a frame of %lu bytes\n", (unsigned long)size);
                return 1;
            }
            payload = (unsigned char *)malloc(size);
            whole = payload && read_all(fd, payload, size);
        }
        if (!whole && !accepted) {
            close(fd);
            full_client();
        }
        if (!whole) {
            fprintf(stderr,
                "ctestd case: the daemon for %s went away before answering (it closed the connection); see %s\n",
                build_dir, log);
            return 1;
        }
        if (payload[0] != TypeCaseAccepted || accepted)
            break;
        accepted = 1;
        free(payload);
    }
    struct reader r = {payload + 1, payload + size};
    unsigned major;
    uint64_t count;
    if (payload[0] != TypeCaseAnswer || !cbor_read_head(&r, &major, &count) || major != 5) {
        fprintf(stderr, "ctestd case: the daemon sent message type %u, not a CaseAnswer\n", payload[0]);
        return 1;
    }
    const unsigned char *output = NULL, *note = NULL;
    uint64_t output_size = 0, note_size = 0, exit_code = 1;
    int has_exit_code = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t key_size;
        if (!cbor_read_head(&r, &major, &key_size) || major != 3 || (uint64_t)(r.end - r.at) < key_size)
            break;
        const unsigned char *key = r.at;
        r.at += key_size;
        const unsigned char *value_at = r.at;
        uint64_t value;
        if (key_size == 6 && memcmp(key, "output", 6) == 0 && cbor_read_head(&r, &major, &value) && major == 2
            && (uint64_t)(r.end - r.at) >= value) {
            output = r.at;
            output_size = value;
            r.at += value;
        } else if (key_size == 4 && memcmp(key, "note", 4) == 0 && cbor_read_head(&r, &major, &value) && major == 3
            && (uint64_t)(r.end - r.at) >= value) {
            note = r.at;
            note_size = value;
            r.at += value;
        } else if (key_size == 8 && memcmp(key, "exitcode", 8) == 0 && cbor_read_head(&r, &major, &value)
            && major == 0 && value <= 255) {
            exit_code = value;
            has_exit_code = 1;
        } else {
            r.at = value_at;
            if (!cbor_skip(&r, 0))
                break;
        }
    }
    if (!has_exit_code) {
        fputs("ctestd case: the daemon's answer has no exit code\n", stderr);
        return 1;
    }
    if (output_size > 0) {
        write_out(STDOUT_FILENO, output, (size_t)output_size);
        if (output[output_size - 1] != '\n')
            write_out(STDOUT_FILENO, (const unsigned char *)"\n", 1);
    }
    if (note_size > 0) {
        write_out(STDERR_FILENO, note, (size_t)note_size);
        write_out(STDERR_FILENO, (const unsigned char *)"\n", 1);
    }
    return (int)exit_code;
}
