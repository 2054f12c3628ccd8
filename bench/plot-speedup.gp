# bench/plot-speedup.gp - speedup over cuBLAS vs N, one line per shape, from
# a `skinny-bench` CSV (the dispatcher's choice vs cuBLAS, same run).
#   gnuplot -e "csv='bench/results/h200-tune.csv'; out='bench/results/h200-speedup.png'; title='...'" bench/plot-speedup.gp
if (!exists("csv")) csv = 'bench/results/h200.csv'
if (!exists("out")) out = 'bench/results/h200-speedup.png'
if (!exists("title")) title = 'skinny GEMM vs cuBLAS'
set datafile separator ','
set terminal pngcairo size 1400,560 font ',10'
set output out
shapes = "2048x2048 1024x4096 4096x4096 6144x4096 24576x4096 4096x12288 8192x8192 10240x8192 8192x28672 151936x4096"
set multiplot layout 1,2 title title
set xlabel 'N (activation rows)'
set ylabel 'speedup over cuBLAS (dispatcher choice)'
set grid
set key outside right top font ',8'
set xrange [0.5:16.5]
set yrange [0:*]
f(s) = (strcol(2).'x'.strcol(3) eq s)
do for [dt in "bf16 fp16"] {
  set title dt
  plot for [i=1:words(shapes)] csv skip 1 using 4:((strcol(1) eq dt && f(word(shapes,i))) ? column(11) : NaN) \
       with linespoints title word(shapes,i), 1 with lines lt -1 dt 2 notitle
}
unset multiplot
