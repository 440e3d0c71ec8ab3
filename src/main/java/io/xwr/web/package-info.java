/** What every HTTP endpoint shares: RFC 9457 problem responses. */
package io.xwr.web;
