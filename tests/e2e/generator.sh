# generator.sh - sohoa-gen renders every type under every condition; the
# ground truth holds every field of its type, every printed value is in
# the page's lines, dates are the printed ones, sohoa accepts the TIFFs,
# the same seed gives the same bytes, and seeds/ is reproduced exactly.
. "$TESTS/lib.sh"
GEN="$BUILD/sohoa-gen"

fields_of() {
	case $1 in
	khai-sinh) echo so quyen_so ho_ten gioi_tinh ngay_sinh noi_sinh dan_toc quoc_tich que_quan ho_ten_me ho_ten_cha noi_dang_ky ngay_dang_ky;;
	ket-hon) echo so quyen_so ho_ten_chong ngay_sinh_chong ho_ten_vo ngay_sinh_vo noi_dang_ky ngay_dang_ky;;
	khai-tu) echo so quyen_so ho_ten gioi_tinh ngay_sinh ngay_chet noi_chet noi_dang_ky ngay_dang_ky;;
	gcn) echo so_phat_hanh so_vao_so chu_su_dung thua_dat_so to_ban_do_so dia_chi dien_tich muc_dich_su_dung thoi_han_su_dung nguon_goc_su_dung ngay_cap;;
	esac
}
# A printed date in any of the generator's forms, as ISO.
DATE_ISO='(capture("(?<d>[0-9]{1,2})[/.-](?<m>[0-9]{1,2})[/.-](?<y>[0-9]{4})") // capture("ngày (?<d>[0-9]+) tháng (?<m>[0-9]+) năm (?<y>[0-9]{4})") | "\(.y)-\(.m | tonumber | tostring | if length == 1 then "0" + . else . end)-\(.d | tonumber | tostring | if length == 1 then "0" + . else . end)")'
i=0
for type in khai-sinh ket-hon khai-tu gcn; do
	for cond in clean skew rot90 rot180 rot270 blur noise yellow jpeg wrap,mixed-font typewriter; do
		i=$((i + 1))
		out="$T/gen/$type-$cond"
		dpi=200; [ $((i % 3)) = 0 ] && dpi=300
		"$GEN" --out "$out" --type $type --condition $cond --dpi $dpi --seed $i 2>"$T/err" || { nok "$type $cond renders"; continue; }
		gt="$out/$type-0001.json"
		bad=""
		for f in $(fields_of $type); do
			jq -e --arg f "$f" '.fields[$f] | . != null and . != "" and . != []' "$gt" >/dev/null || bad="$bad missing:$f"
		done
		# every printed value appears in the joined printed lines
		missing=$(jq -r '(.lines | join(" ")) as $all | .printed | to_entries[] | select(.value as $v | $all | contains($v) | not) | .key' "$gt")
		[ -n "$missing" ] && bad="$bad not-in-lines:$(echo $missing | tr ' ' ,)"
		# values printed as is equal their field; dates and areas convert
		wrong=$(jq -r --argjson x 0 ".printed as \$p | .fields | to_entries[] | select(.key | IN(\"chu_su_dung\") | not) | select(\$p[.key] != null) | select(
			if (.key | startswith(\"ngay_\")) then (\$p[.key] | $DATE_ISO) != .value
			elif .key == \"dien_tich\" then (\$p[.key] | sub(\" m²\"; \"\") | sub(\",\"; \".\")) != .value
			else \$p[.key] != .value end) | .key" "$gt")
		[ -n "$wrong" ] && bad="$bad wrong:$(echo $wrong | tr ' ' ,)"
		if [ $type = gcn ]; then pages=2; else pages=1; fi
		[ "$(jq .pages "$gt")" = $pages ] || bad="$bad pages"
		[ "$(jq '.page_lines | length' "$gt")" = $pages ] || bad="$bad page_lines"
		if [ -z "$bad" ]; then ok "$type/$cond: ground truth matches the layout"; else nok "$type/$cond:$bad"; fi
	done
done
check "conditions are recorded" test "$(jq -c '.conditions | [.rotation, .jpeg, .names]' "$T/gen/khai-tu-rot90/khai-tu-0001.json")" = '[90,false,"rot90"]'
check "skew stays within 3 degrees" sh -c "jq -e '.conditions.skew | fabs >= 0.8 and fabs <= 3' '$T/gen/ket-hon-skew/ket-hon-0001.json' >/dev/null"
check "wrap makes a value run onto a second line" sh -c "jq -e '.printed.noi_dang_ky as \$v | [.lines[] | select(. as \$l | \$v | contains(\$l))] | length >= 1' '$T/gen/khai-sinh-wrap,mixed-font/khai-sinh-0001.json' >/dev/null"
check "old edition prints 'Họ và tên'" grep -q 'Họ và tên' "$T/gen/khai-sinh-typewriter/khai-sinh-0001.json"
"$GEN" --out "$T/cur" --type khai-sinh --edition current --seed 5
cur="$T/cur/khai-sinh-0001.json"
check "current edition prints 'Họ, chữ đệm, tên' and 'ghi bằng chữ'" sh -c "grep -q 'Họ, chữ đệm, tên' '$cur' && grep -q 'ghi bằng chữ' '$cur' && grep -q 'Số định danh cá nhân' '$cur' && grep -q 'Nơi đăng ký khai sinh' '$cur'"
check "the date in words is printed" sh -c "jq -e '.printed.ngay_sinh_chu | test(\"^Ngày .*, tháng .*, năm (một|hai) (nghìn|ngàn)\")' '$cur' >/dev/null"
enc() { jq -r .conditions.encoding "$1"; }
check "jpeg condition writes RGB JPEG-in-TIFF" test "$(enc "$T/gen/gcn-jpeg/gcn-0001.json")" = rgb-jpeg

# sohoa accepts every generated file, with the right page counts
expect_exit 0 "sohoa ingests all $i generated records" sohoa ingest --report "$T/r.json" "$T/gen"
check "all $i stored" test "$(jsonq "$T/r.json" .stored)" = $i
check "gcn records have 2 pages" test "$(jq '[.files[] | select(.path | contains("gcn-")) | .pages] | unique | .[0]' "$T/r.json")" = 2

# determinism
"$GEN" --out "$T/d1" --count 6 --seed 99 && "$GEN" --out "$T/d2" --count 6 --seed 99
check "the same seed gives the same bytes" diff -r "$T/d1" "$T/d2"
"$GEN" --out "$T/d3" --count 6 --seed 100
check "another seed gives other records" sh -c "! cmp -s '$T/d1/khai-sinh-0001.tif' '$T/d3/khai-sinh-0001.tif'"
check "a corpus cycles through the types" test "$(ls "$T/d1"/*.json | wc -l)" = 6
sh "$REPO/tools/make-seeds.sh" "$GEN" "$T/seeds" >/dev/null
check "make seeds reproduces seeds/ byte for byte" diff -r "$REPO/seeds" "$T/seeds"
check "seeds/ holds all four types" test "$(cat "$REPO"/seeds/*.json | jq -r .type | sort -u | wc -l)" = 4
check "seeds/ is under 3 MB" test "$(du -sk "$REPO/seeds" | cut -f1)" -lt 3072
expect_exit 2 "an unknown condition is refused" "$GEN" --out "$T/x" --condition smudge

# --layout real: every real edition drawn, each record laid out anew; a
# long value wraps at the left margin (its next printed line starts
# with the value's words, not a label), the extract's header holds its
# own number beside the place and date, the certificate's serial stands
# alone on its line, and each owner has a year of birth and an ID.
"$GEN" --layout real --no-images --count 24 --seed 31 --out "$T/real" 2>/dev/null
check "--layout real draws 24 records" test "$(ls "$T/real"/*.json | wc -l)" = 24
eds=$(jq -r '.type + " " + .edition' "$T/real"/*.json | sort -u | wc -l)
check "it draws the real editions ($eds kinds of type and edition)" test "$eds" -ge 8
check "the extract's header: its own number, place and date on one line" \
	sh -c "jq -r 'select(.edition == \"trich-luc\" and .type == \"khai-sinh\") | .lines[]' '$T/real'/*.json | grep -Eq '^Số: [0-9]+/TLKS-BS .*, ngày [0-9]+ tháng'"
check "the certificate's serial alone on its line" \
	sh -c "for f in '$T/real'/gcn-*.json; do s=\$(jq -r .fields.so_phat_hanh \"\$f\"); jq -e --arg s \"\$s\" '.lines | index(\$s)' \"\$f\" >/dev/null || exit 1; done"
check "each owner has a year of birth and an ID document" \
	sh -c "jq -e -s 'map(select(.type == \"gcn\") | .fields.chu_su_dung_chi_tiet[] | (.nam_sinh | test(\"^[0-9]{4}$\")) and (.giay_to | test(\"^(CCCD|CMND) số [0-9]{9,12}$\"))) | all' '$T/real'/*.json >/dev/null"
wraps=$(jq '[.page_lines[] | . as $l | range(0; length - 1) | select(($l[.] | test("^(Nơi sinh|Nơi chết|c\\) Địa chỉ|Nơi cư trú|Địa chỉ thường trú|Nơi đăng ký[a-z ]*|Đăng ký khai sinh tại): ")) and ($l[. + 1] | test(":") | not))] | length' "$T/real"/*.json | jq -s add)
check "long places wrap onto a line of their own words ($wraps of them)" test "$wraps" -gt 5
"$GEN" --layout real --no-images --count 4 --seed 31 --out "$T/real2" 2>/dev/null
check "the same seed draws the same layouts" sh -c "cmp -s '$T/real/gcn-0004.json' '$T/real2/gcn-0004.json'"
"$GEN" --layout bogus --out "$T/x" 2>"$T/err"; rc=$?
check "an unknown layout is refused with its name (exit $rc)" sh -c "[ $rc = 2 ] && grep -q \"unknown layout 'bogus'\" '$T/err'"
