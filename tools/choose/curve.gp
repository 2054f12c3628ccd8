# curve.gp - skinny-choose's trade-off chart: compile seconds of the chosen
# table against its geometric-mean speedup over cuBLAS, one point per
# tolerance (0..10 %). Run by skinny-choose (curve.c) with:
#   gnuplot -e "datafile='...'; outfile='....png'" curve.gp
# datafile lines: "tolerance_percent compile_seconds geomean rows label"; tolerances
# that choose the same table are one point with one label.
set terminal pngcairo noenhanced size 900, 600 font "sans,10"
set output outfile
set title "Chosen table: compile time vs speed, by tolerance"
set xlabel "compile seconds (all targets of the cost file)"
set ylabel "geometric mean speedup over cuBLAS"
set grid
set key off
set offsets graph 0.05, graph 0.12, graph 0.05, graph 0.05
plot datafile using 2:3 with linespoints pt 7 lc rgb "#1b9e77", \
     datafile using 2:3:5 with labels offset 1, 0.6 left font "sans,8"
