// footprint-probe: starts a daemon, times exec -> first "GET /ping" answered 200, reads its RSS after a settle,
// optionally runs a load command against it, then times SIGTERM -> exit. One line of output:
//   startup_us=N rss_kb=N rss_anon_kb=N [rss_after_load_kb=N] exit_us=N status=N
// Used by bench/startup.sh and bench/shutdown.sh; C rather than bash so the probe's own cost stays in microseconds
// (a bash /dev/tcp loop adds about a millisecond per attempt).
//
//   footprint-probe [-s SETTLE_MS] [-l 'LOAD COMMAND'] [-q QUIET_MS] -- DAEMON ARGS...
// "{tcp}" and "{http}" in the daemon's arguments and in the load command become two free loopback ports, "{pid}"
// in the load command the daemon's PID. Loopback only.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  bind(s, (struct sockaddr *)&a, sizeof a);
  getsockname(s, (struct sockaddr *)&a, &len);
  close(s);
  return ntohs(a.sin_port);
}

// "{tcp}"/"{http}"/"{pid}" replaced; returns a malloc'd string.
static char *subst(const char *in, int tcp, int http, int pid) {
  char *out = malloc(strlen(in) * 2 + 64), *o = out;
  while (*in) {
    if (!strncmp(in, "{tcp}", 5)) { o += sprintf(o, "%d", tcp); in += 5; }
    else if (!strncmp(in, "{http}", 6)) { o += sprintf(o, "%d", http); in += 6; }
    else if (!strncmp(in, "{pid}", 5)) { o += sprintf(o, "%d", pid); in += 5; }
    else *o++ = *in++;
  }
  *o = 0;
  return out;
}

static int ping_ok(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int ok = 0;
  if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
    const char req[] = "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char buf[512];
    if (write(s, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)) {
      ssize_t n = read(s, buf, sizeof buf - 1);
      ok = n > 12 && !strncmp(buf, "HTTP/1.1 200", 12);
    }
  }
  close(s);
  return ok;
}

// One "Key:   N kB" field of /proc/PID/status (VmRSS, RssAnon), -1 if absent.
static long status_kb(int pid, const char *key) {
  char path[64], line[256];
  long kb = -1;
  size_t n = strlen(key);
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, n) && line[n] == ':') kb = atol(line + n + 1);
  fclose(f);
  return kb;
}

static long rss_kb(int pid) { return status_kb(pid, "VmRSS"); }

int main(int argc, char **argv) {
  int settle_ms = 2000, opt;
  const char *load = NULL;
  while ((opt = getopt(argc, argv, "s:l:")) != -1) {
    if (opt == 's') settle_ms = atoi(optarg);
    else if (opt == 'l') load = optarg;
    else return 2;
  }
  if (optind >= argc) { fprintf(stderr, "usage: footprint-probe [-s MS] [-l CMD] -- DAEMON ARGS...\n"); return 2; }
  int tcp = free_port(), http = free_port();
  while (http == tcp) http = free_port();
  char **dargv = calloc(argc - optind + 1, sizeof *dargv);
  for (int i = optind; i < argc; i++) dargv[i - optind] = subst(argv[i], tcp, http, 0);

  long long t0 = now_us();
  pid_t pid = fork();
  if (pid == 0) {
    execv(dargv[0], dargv);
    _exit(127);
  }
  long long ready = -1;
  for (int i = 0; i < 200000; i++) {  // ~10 s at most
    if (ping_ok(http)) { ready = now_us(); break; }
    if (waitpid(pid, NULL, WNOHANG) == pid) { fprintf(stderr, "daemon exited\n"); return 1; }
    usleep(50);
  }
  if (ready < 0) { kill(pid, SIGKILL); fprintf(stderr, "no /ping\n"); return 1; }
  usleep(settle_ms * 1000);
  long rss = rss_kb(pid), rss_anon = status_kb(pid, "RssAnon"), rss_load = -1;
  if (load) {
    char *cmd = subst(load, tcp, http, pid);
    int rc = system(cmd);
    if (rc != 0) fprintf(stderr, "load command exited %d\n", rc);
    rss_load = rss_kb(pid);
  }
  int status;
  long long t1 = now_us();
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  long long t2 = now_us();
  printf("startup_us=%lld rss_kb=%ld rss_anon_kb=%ld", ready - t0, rss, rss_anon);
  if (load) printf(" rss_after_load_kb=%ld", rss_load);
  printf(" exit_us=%lld status=%d\n", t2 - t1, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return 0;
}
