# SPDX-License-Identifier: GPL-2.0
# make bench's chart: each method's ratio to plain veth, one group of bars
# per method, one bar per measurement (1.0 = as fast as no crypto at all).
# gnuplot -e "datafile='...'; outfile='...'; subtitle='...'" chart.gp
set terminal pngcairo size 1200,560 font "sans,10"
set output outfile
set title "pc5sec and its alternatives: ratio to plain veth (higher is better)\n".subtitle
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set ylabel "ratio to plain veth"
set grid ytics
set key outside right top vertical
set xtics rotate by -25 nomirror
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "#555555"
plot for [c=2:6] datafile using c:xtic(1) title columnheader(c)
