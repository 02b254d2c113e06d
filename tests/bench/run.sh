#!/bin/sh
# bench/run.sh BIN GEN - benchmarks, side by side with the reference tools
# on the same files, in one run. Not part of `make check`.
#   BENCH_N    records in the generated corpus (default 100)
#   BENCH_DIR  where corpus, stores and outputs go (default /tmp/sohoa-bench)
#   BENCH_PARTS which parts (default "ocr search verify serve real"; ocr
#              includes fields and ingest without OCR; real is fields on
#              the real editions drawn at random, fields-real.sh;
#              forgiving is search as the clerk types, forgiving.sh;
#              station is the review station, station.sh; export is
#              exporting the bench corpus beside ingesting it, export.sh;
#              capture is phone photos and untagged scans, capture.sh;
#              realpages is real scans and photos, realpages.sh, which
#              needs REAL_DIR; cluster is the corpus over a Slurm of one
#              node beside ingest -j 2, cluster.sh)
set -eu
parts=${BENCH_PARTS:-ocr search verify serve real forgiving station export capture realpages cluster}
case " $parts " in *" ocr "*) ;; *)
	here0=$(cd "$(dirname "$0")" && pwd)
	case " $parts " in *" search "*) sh "$here0/search.sh" "$2" "$(dirname "$2")/ixbench";; esac
	case " $parts " in *" verify "*) sh "$here0/verify.sh" "$1";; esac
	case " $parts " in *" serve "*) sh "$here0/serve.sh" "$1";; esac
	case " $parts " in *" real "*) sh "$here0/fields-real.sh" "$1" "$2";; esac
	case " $parts " in *" forgiving "*) sh "$here0/forgiving.sh" "$2" "$(dirname "$2")/ixbench";; esac
	case " $parts " in *" station "*) sh "$here0/station.sh" "$1" "$2";; esac
	case " $parts " in *" export "*) sh "$here0/export.sh" "$1" "$2";; esac
	case " $parts " in *" capture "*) sh "$here0/capture.sh" "$1" "$2";; esac
	case " $parts " in *" realpages "*) sh "$here0/realpages.sh" "$1";; esac
	case " $parts " in *" cluster "*) sh "$here0/cluster.sh" "$1" "$2";; esac
	exit 0;;
esac
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/ocr.sh" "$1" "$2"
bin=$(realpath "$1"); gen=$(realpath "$2")
case " $parts " in *" search "*) sh "$here/search.sh" "$gen" "$(dirname "$gen")/ixbench";; esac
case " $parts " in *" verify "*) sh "$here/verify.sh" "$bin";; esac
case " $parts " in *" serve "*) sh "$here/serve.sh" "$bin";; esac
case " $parts " in *" real "*) sh "$here/fields-real.sh" "$bin" "$gen";; esac
case " $parts " in *" forgiving "*) sh "$here/forgiving.sh" "$gen" "$(dirname "$gen")/ixbench";; esac
case " $parts " in *" station "*) sh "$here/station.sh" "$bin" "$gen";; esac
case " $parts " in *" export "*) sh "$here/export.sh" "$bin" "$gen";; esac
case " $parts " in *" capture "*) sh "$here/capture.sh" "$bin" "$gen";; esac
case " $parts " in *" realpages "*) sh "$here/realpages.sh" "$bin";; esac
case " $parts " in *" cluster "*) sh "$here/cluster.sh" "$bin" "$gen";; esac
