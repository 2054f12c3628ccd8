m4_dnl Machine-readable list of generated kernels, for other tools.
m4_define(`ROW', `m4_ifelse($7, 0, , `,
')    {"name": "$1", "file": "$1.hip", "n": $2, "wave": $3, "waves_per_group": $4, "kind": "$8", m4_ifelse($8, tile, "ytile", "mtiles"): $5, "unroll": $6,
     "launchers": {"f16": "skinny_launch_$1_f16", "bf16": "skinny_launch_$1_bf16"}}')m4_dnl
{
  "generator": "skinnygen GEN_VERSION",
  "kernel_count": ROW_COUNT,
  "dtypes": ["f16", "bf16"],
  "kernels": [
ROWS
  ]
}
