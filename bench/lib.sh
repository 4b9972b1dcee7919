# Shared by the bench scripts, which run from the repository root: . bench/lib.sh

# The median of the numbers on stdin, one per line (the upper one for an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
