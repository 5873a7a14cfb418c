/** Tollgate: a Stripe billing microservice. */
package dev.tollgate;
