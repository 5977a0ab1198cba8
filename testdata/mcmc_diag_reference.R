# Reference values for the MCMC convergence diagnostics (mcmc_diag_test.go).
#
# Rerun from the repository root:
#   Rscript testdata/mcmc_diag_reference.R
# It writes testdata/mcmc_diag_draws.json (the draws, 8 significant digits)
# and testdata/mcmc_diag_reference.json (posterior's diagnostics of exactly
# those draws, 17 significant digits). Needs R with the posterior package
# (Debian r-cran-posterior 1.4.0 was used).
suppressPackageStartupMessages(library(posterior))
set.seed(20211)

ar1 <- function(n, rho, innov = rnorm) {
  x <- numeric(n)
  e <- innov(n)
  x[1] <- e[1] / sqrt(1 - rho^2)
  for (i in 2:n) x[i] <- rho * x[i - 1] + e[i]
  x
}

cases <- list()
# AR(1), rho = 0.9, 4 chains x 1000.
cases$ar1 <- replicate(4, ar1(1000, 0.9))
# Heavy tails: Student-t (nu = 2) innovations of an AR(1) with rho = 0.5.
cases$heavy <- replicate(4, ar1(1000, 0.5, function(n) rt(n, df = 2)))
# iid Cauchy draws.
cases$cauchy <- replicate(4, rcauchy(1000))
# One chain shifted: AR(1) rho = 0.5, chain 4 moved by +1.5 (Rhat well above 1).
x <- replicate(4, ar1(1000, 0.5))
x[, 4] <- x[, 4] + 1.5
cases$shifted <- x
# Odd length (posterior drops the middle draw of each chain when splitting).
cases$odd <- replicate(4, ar1(501, 0.7))
# A single chain.
cases$onechain <- matrix(ar1(1000, 0.8), ncol = 1)
# Very short chains (7 draws, split halves of 3).
cases$short <- replicate(4, rnorm(7))
# Many ties (average ranks): draws rounded to one decimal.
cases$ties <- replicate(4, round(ar1(200, 0.6), 1))
# One constant chain among varying ones.
x <- replicate(4, rnorm(200))
x[, 3] <- 0.25
cases$constchain <- x
# Two chains, strongly autocorrelated (antithetic-free, rho = 0.99).
cases$sticky <- replicate(2, ar1(400, 0.99))
# Negatively autocorrelated chains (antithetic; exercises the ESS cap).
cases$antithetic <- replicate(4, ar1(300, -0.7))

num <- function(v) ifelse(is.na(v), "null", sprintf("%.17g", v))
draws_json <- character()
ref_json <- character()
for (nm in names(cases)) {
  m <- cases[[nm]]
  # Round to 8 significant digits and use exactly the values that are stored.
  txt <- matrix(sprintf("%.8g", m), nrow = nrow(m))
  m <- matrix(as.numeric(txt), nrow = nrow(m))
  chains <- apply(txt, 2, function(col) paste0("[", paste(col, collapse = ","), "]"))
  draws_json <- c(draws_json, sprintf('"%s":[%s]', nm, paste(chains, collapse = ",")))

  d <- as_draws_array(array(m, dim = c(nrow(m), ncol(m), 1),
                            dimnames = list(NULL, NULL, "x")))
  s <- summarise_draws(d, "mean", "sd", "rhat", "ess_bulk", "ess_tail", "mcse_mean",
                       ~quantile2(.x, probs = c(0.05, 0.5, 0.95)),
                       ~mcse_quantile(.x, probs = c(0.05, 0.5, 0.95)))
  energy_bfmi <- apply(m, 2, function(e) sum(diff(e)^2) / length(e) / var(e))
  vals <- list(
    mean = s$mean, sd = s$sd, rhat = s$rhat, ess_bulk = s$ess_bulk,
    ess_tail = s$ess_tail, mcse_mean = s$mcse_mean,
    q5 = s$q5, q50 = s$q50, q95 = s$q95,
    mcse_q5 = s$mcse_q5, mcse_q50 = s$mcse_q50, mcse_q95 = s$mcse_q95,
    ess_mean = ess_mean(m), ess_q5 = ess_quantile(m, 0.05)[[1]],
    ess_q95 = ess_quantile(m, 0.95)[[1]],
    rhat_basic = rhat_basic(m)
  )
  fields <- vapply(names(vals), function(k) {
    v <- vals[[k]]
    sprintf('"%s":%s', k, num(v))
  }, "")
  fields <- c(fields, sprintf('"ebfmi":[%s]', paste(num(energy_bfmi), collapse = ",")))
  ref_json <- c(ref_json, sprintf('"%s":{%s}', nm, paste(fields, collapse = ",")))
}
writeLines(paste0("{", paste(draws_json, collapse = ",\n"), "}"),
           "testdata/mcmc_diag_draws.json")
writeLines(c("{", paste0('"posterior_version":"', packageVersion("posterior"), '",'),
             paste(ref_json, collapse = ",\n"), "}"),
           "testdata/mcmc_diag_reference.json")
