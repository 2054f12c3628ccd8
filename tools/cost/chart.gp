# chart.gp - compile seconds per row, one panel per target, bars grouped by N.
# Run by skinny-cost (report_chart.c) with:
#   gnuplot -e "datafile='...'; outfile='....png'; targets='gfx90a sm_90'; ntargets=2; runs=3" chart.gp
# datafile: one block per target (separated by two blank lines, gnuplot
# `index`), lines "x seconds row_name added"; x leaves a gap between N.
set terminal pngcairo noenhanced size 1600, 330 * ntargets font "sans,9"
set output outfile
set multiplot layout ntargets, 1 title sprintf("Compile time per specialization (median of %d runs, one target per compiler invocation)", runs)
set style fill solid 0.85 border -1
set boxwidth 0.8
set ylabel "compile s"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0   # headroom above the tallest bar
set xtics rotate by 60 right font "sans,7" nomirror
set grid ytics
set key top left
set lmargin 8
set bmargin 7
do for [i = 1:ntargets] {
    set title word(targets, i)
    # colour: table rows green, proposed (--add) rows orange
    plot datafile index (i - 1) using 1:2:($4 == 1 ? 0xd95f02 : 0x1b9e77):xtic(3) \
             with boxes lc rgb variable notitle, \
         NaN with boxes lc rgb "#1b9e77" title "tiles.def row", \
         NaN with boxes lc rgb "#d95f02" title "proposed (--add)"
}
unset multiplot
