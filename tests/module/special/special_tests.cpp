// SPDX-License-Identifier: BSD-3-Clause
// Never run: module.special_names only registers this program's (canned) cases.
int main()
{
    return 0;
}
