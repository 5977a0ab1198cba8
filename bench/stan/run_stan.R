# Stan's NUTS on the seed's posteriors, for bench/stan_compare.sh: a variant of
# ../shared/reference/stan/run_stan.R that samples the models in this
# directory and finds the seed's data wherever the shared reference lives.
#
#   Rscript bench/stan/run_stan.R MODEL OUT.json [chains] [iter] [H] [SEED_JSON]
#
# MODEL: oscillator_exact (closed-form trajectory), oscillator
# (integrate_ode_rk45 at rtol 1e-7 / atol 1e-9, with sensitivities) or bnn (the
# seed's tanh MLP with H units per hidden layer; diagnostics on its predictions
# at 33 times on [0, 8] s, the first 25 inside the training window [0, 6] s).
# SEED_JSON defaults to ../shared/reference/seed_torch_cpu.json from the
# repository root. Protocol: chains × (iter/2 warm-up + iter/2 draws), diagonal
# metric, adapt_delta 0.8, max tree depth 10, one core. Times are Stan's own
# warm-up + sampling seconds summed over chains (compilation excluded); the
# compiled model is cached next to the .stan file (rstan auto_write).
suppressPackageStartupMessages({library(rstan); library(jsonlite); library(posterior)})
rstan_options(auto_write = TRUE)
a <- commandArgs(trailingOnly = TRUE)
model <- a[1]; out <- a[2]
chains <- if (length(a) > 2) as.integer(a[3]) else 4
iter <- if (length(a) > 3) as.integer(a[4]) else 2000
H <- if (length(a) > 4) as.integer(a[5]) else 16
here <- normalizePath(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
seed_json <- if (length(a) > 5) a[6] else file.path(here, "../../../shared/reference/seed_torch_cpu.json")
ref <- fromJSON(seed_json)
x <- ref$data$x_train
ts <- seq(0, 6, length.out = 60)
data <- switch(model,
  oscillator = list(N = 59, ts = ts[-1], x_obs = x[-1], x0_obs = x[1], sigma = 0.05, rtol = 1e-7, atol = 1e-9),
  oscillator_exact = list(N = 60, ts = ts, x_obs = x, sigma = 0.05),
  bnn = list(N = 60, H = H, t = 2 * ts / 6 - 1, y = x, sigma = 0.05,
             M = 33, t_eval = 2 * seq(0, 8, length.out = 33) / 6 - 1),
  stop("unknown model ", model))
sm <- stan_model(file.path(here, paste0(model, ".stan")))
fit <- sampling(sm, data = data, chains = chains, iter = iter, warmup = iter / 2, seed = 1,
                cores = 1, refresh = 0,
                control = list(max_treedepth = 10, adapt_delta = 0.8, metric = "diag_e"))
el <- get_elapsed_time(fit)
sp <- get_sampler_params(fit, inc_warmup = TRUE)
leap <- sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"])))
div <- sum(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(s) sum(s[, "divergent__"])))
dr <- as_draws_array(fit)
keep <- if (model == "bnn") grep("^f_eval", variables(dr), value = TRUE) else setdiff(variables(dr), "lp__")
dr <- subset_draws(dr, variable = keep)
sm2 <- summarise_draws(dr, "mean", "sd", "rhat", "ess_bulk", "ess_tail")
interp <- if (model == "bnn") sm2$variable %in% sprintf("f_eval[%d]", 1:25) else rep(TRUE, nrow(sm2))
res <- list(model = model, stan = stan_version(), chains = chains, iter = iter, H = H,
  warmup_seconds = sum(el[, "warmup"]), sample_seconds = sum(el[, "sample"]),
  leapfrog_steps = leap, divergences = div,
  min_ess_bulk = min(sm2$ess_bulk), min_ess_tail = min(sm2$ess_tail), max_rhat = max(sm2$rhat),
  max_rhat_interp = max(sm2$rhat[interp]), min_ess_bulk_interp = min(sm2$ess_bulk[interp]),
  params = if (model == "bnn") NULL else sm2)
res$ess_bulk_per_second <- res$min_ess_bulk / (res$warmup_seconds + res$sample_seconds)
res$seconds_per_leapfrog <- (res$warmup_seconds + res$sample_seconds) / leap
write_json(res, out, auto_unbox = TRUE, digits = 8, pretty = TRUE)
cat(toJSON(res[c("model", "warmup_seconds", "sample_seconds", "leapfrog_steps", "divergences",
                 "min_ess_bulk", "max_rhat", "ess_bulk_per_second", "seconds_per_leapfrog")],
           auto_unbox = TRUE), "\n")
