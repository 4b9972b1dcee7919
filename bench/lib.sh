# Shared by the bench scripts, which run from the repository root: . bench/lib.sh

# The median of the numbers on stdin, one per line (the upper one for an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Two free loopback ports, "TCP HTTP" on one line (bound and released at once; the daemon then binds them).
free_ports() {
  python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])'
}
